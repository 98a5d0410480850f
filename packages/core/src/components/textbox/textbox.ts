import { type BaseProps, type Component, invalidInput, invalidOutput } from "../../Component.ts";

export interface TextboxProps extends BaseProps {
  placeholder?: string;
  /** 1 is a one-line input where Enter submits; more is a text area. */
  lines?: number;
  /**
   * With `lines: 1`, how many lines the box may grow to as the person types: Enter still
   * submits and Shift+Enter starts a new line (as in a chat). Default 1, a one-line input.
   */
  maxLines?: number;
  /** Longest text accepted from the browser. */
  maxLength?: number;
  value?: string;
}

export type TextboxComponent = Component<"textbox", string, string | number | null | undefined, string, TextboxProps>;

/**
 * A text input or output.
 * @example textbox({ label: "Message", placeholder: "Say something", lines: 3 })
 * @example textbox({ label: "Message", maxLines: 6 }) // grows to 6 lines; Enter sends, Shift+Enter breaks the line
 */
export function textbox(props: TextboxProps = {}): TextboxComponent {
  return {
    kind: "textbox",
    props,
    initial: props.value ?? "",
    preprocess(raw) {
      if (typeof raw !== "string") throw invalidInput("textbox", this.props, "text", raw);
      if (props.maxLength !== undefined && raw.length > props.maxLength)
        throw invalidInput("textbox", this.props, `at most ${props.maxLength} characters`, raw);
      return raw;
    },
    postprocess(value) {
      if (value === null || value === undefined) return "";
      if (typeof value === "string") return value;
      if (typeof value === "number") return String(value);
      throw invalidOutput("textbox", this.props, "text", value);
    },
  };
}
