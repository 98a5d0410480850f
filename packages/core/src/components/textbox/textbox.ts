import { type BaseProps, type Component, invalidInput, invalidOutput } from "../../Component.ts";

export interface TextboxProps extends BaseProps {
  placeholder?: string;
  /** 1 is a one-line input where Enter submits; more is a text area. */
  lines?: number;
  /** Longest text accepted from the browser. */
  maxLength?: number;
  value?: string;
}

export type TextboxComponent = Component<"textbox", string, string | number | null | undefined, string, TextboxProps>;

/**
 * A text input or output.
 * @example textbox({ label: "Message", placeholder: "Say something", lines: 3 })
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
