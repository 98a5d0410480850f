import { type BaseProps, type Component, invalidInput, invalidOutput } from "../../Component.ts";

export interface HtmlProps extends BaseProps {
  /** Longest HTML accepted from the browser. Default 100,000 characters. */
  maxLength?: number;
  value?: string;
}

export type HtmlComponent = Component<"html", string, string | null | undefined, string, HtmlProps>;

const defaultMaxLength = 100_000;

/**
 * HTML shown on the page, sanitised there as chat Markdown is (no scripts, event handlers,
 * `javascript:` links or frames), whoever wrote it. What a browser sends back is only text to
 * the server: bounded here, never marked safe, and sanitised again wherever it is shown.
 * @example html({ value: "<b>Ready</b>" })
 */
export function html(props: HtmlProps = {}): HtmlComponent {
  return {
    kind: "html",
    props,
    initial: props.value ?? "",
    preprocess(raw) {
      if (typeof raw !== "string") throw invalidInput("html", this.props, "HTML text", raw);
      const max = this.props.maxLength ?? defaultMaxLength;
      if (raw.length > max) throw invalidInput("html", this.props, `at most ${max} characters`, raw);
      return raw;
    },
    postprocess(value) {
      if (value === null || value === undefined) return "";
      if (typeof value !== "string") throw invalidOutput("html", this.props, "HTML text", value);
      return value;
    },
  };
}
