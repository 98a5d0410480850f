import { type BaseProps, type Component, invalidInput, invalidOutput } from "../../Component.ts";

export interface ButtonProps extends BaseProps {
  /** The button's text; also what fn receives when the button is an input. */
  value?: string;
  /** `primary` stands out, `stop` warns; default `secondary`. */
  variant?: "primary" | "secondary" | "stop";
  /** `clear`: resets the session (every value and state) on the page, with no function. */
  action?: "clear";
}

export type ButtonComponent = Component<"button", string, string | null | undefined, string, ButtonProps>;

/**
 * A button; its `click` event runs a function.
 * @example const go = ui.button("Greet"); go.click({ fn, inputs: [name], outputs: [out] });
 */
export function button(props: ButtonProps | string = {}): ButtonComponent {
  const p: ButtonProps = typeof props === "string" ? { value: props } : props;
  return {
    kind: "button",
    props: p,
    initial: p.value ?? "Run",
    preprocess(raw) {
      if (typeof raw !== "string") throw invalidInput("button", this.props, "text", raw);
      return raw;
    },
    postprocess(value) {
      if (value === null || value === undefined) return this.props.value ?? "Run";
      if (typeof value !== "string") throw invalidOutput("button", this.props, "text", value);
      return value;
    },
  };
}
