import type { ComponentChildren } from "preact";

/**
 * The frame every component sits in: its label (tied to the control) and an optional hint.
 * Without a label (html, like markdown, may have none) only the hint and the content show.
 */
export function Field(props: { label: string | undefined; domId: string; info?: string | undefined; children: ComponentChildren; as?: "label" | "div" }) {
  return (
    <div class="field">
      {props.label === undefined ? null : props.as === "div" ? (
        <span class="field-label" id={`${props.domId}-label`}>
          {props.label}
        </span>
      ) : (
        <label class="field-label" for={props.domId} id={`${props.domId}-label`}>
          {props.label}
        </label>
      )}
      {props.info ? <span class="field-info">{props.info}</span> : null}
      {props.children}
    </div>
  );
}
