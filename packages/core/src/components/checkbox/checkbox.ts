import { type BaseProps, type Component, invalidInput, invalidOutput } from "../../Component.ts";

export interface CheckboxProps extends BaseProps {
  value?: boolean;
}

export type CheckboxComponent = Component<"checkbox", boolean, boolean | null | undefined, boolean, CheckboxProps>;

/**
 * A yes/no input or output.
 * @example checkbox({ label: "Sample", value: true })
 */
export function checkbox(props: CheckboxProps = {}): CheckboxComponent {
  return {
    kind: "checkbox",
    props,
    initial: props.value ?? false,
    preprocess(raw) {
      if (typeof raw !== "boolean") throw invalidInput("checkbox", this.props, "true or false", raw);
      return raw;
    },
    postprocess(value) {
      if (value === null || value === undefined) return false;
      if (typeof value !== "boolean") throw invalidOutput("checkbox", this.props, "true or false", value);
      return value;
    },
  };
}
