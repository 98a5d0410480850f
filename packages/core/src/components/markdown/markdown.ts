import { type BaseProps, type Component, invalidInput, invalidOutput } from "../../Component.ts";

export interface MarkdownProps extends BaseProps {
  value?: string;
}

export type MarkdownComponent = Component<"markdown", string, string | null | undefined, string, MarkdownProps>;

/**
 * Markdown text, rendered and sanitised in the browser.
 * @example markdown({ value: "# Results" })
 */
export function markdown(props: MarkdownProps = {}): MarkdownComponent {
  return {
    kind: "markdown",
    props,
    initial: props.value ?? "",
    preprocess(raw) {
      if (typeof raw !== "string") throw invalidInput("markdown", this.props, "text", raw);
      return raw;
    },
    postprocess(value) {
      if (value === null || value === undefined) return "";
      if (typeof value !== "string") throw invalidOutput("markdown", this.props, "text", value);
      return value;
    },
  };
}
