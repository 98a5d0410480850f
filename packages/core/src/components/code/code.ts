import { type BaseProps, type Component, invalidInput, invalidOutput } from "../../Component.ts";

export interface CodeProps extends BaseProps {
  /** A language highlight.js knows ("typescript", "python", "json", ...); unknown ones show plain. */
  language?: string;
  /** Lines shown before the editor scrolls. Default 10. */
  lines?: number;
  /** Longest code accepted from the browser. Default 100,000 characters. */
  maxLength?: number;
  value?: string;
}

export type CodeComponent = Component<"code", string, string | null | undefined, string, CodeProps>;

const defaultMaxLength = 100_000;

/**
 * Source code, highlighted; editable as an input.
 * @example code({ label: "Query", language: "sql", value: "select 1" })
 */
export function code(props: CodeProps = {}): CodeComponent {
  return {
    kind: "code",
    props,
    initial: props.value ?? "",
    preprocess(raw) {
      if (typeof raw !== "string") throw invalidInput("code", this.props, "text", raw);
      const max = this.props.maxLength ?? defaultMaxLength;
      if (raw.length > max) throw invalidInput("code", this.props, `at most ${max} characters`, raw);
      return raw;
    },
    postprocess(value) {
      if (value === null || value === undefined) return "";
      if (typeof value !== "string") throw invalidOutput("code", this.props, "text", value);
      return value;
    },
  };
}
