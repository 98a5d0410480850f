import { type BaseProps, type Component, invalidInput, invalidOutput } from "../../Component.ts";

/** A choice is its value, or a `[label, value]` pair when the two differ. */
export type Choice<V extends string = string> = V | readonly [label: string, value: V];

export interface DropdownProps<V extends string = string> extends BaseProps {
  choices: readonly Choice<V>[];
  /** Accept values that are not among the choices. */
  allowCustomValue?: boolean;
  multiselect?: boolean;
  value?: V | readonly V[] | null;
}

export type DropdownComponent<V extends string = string> = Component<"dropdown", V, V | null | undefined, V | null, DropdownProps<V>>;
export type MultiDropdownComponent<V extends string = string> = Component<"dropdown", V[], readonly V[] | null | undefined, V[], DropdownProps<V>>;

/**
 * A choice among options; `multiselect: true` gives fn a list.
 * @example dropdown({ label: "Model", choices: ["small", "medium"], value: "small" })
 */
export function dropdown<const V extends string>(props: DropdownProps<V> & { multiselect: true }): MultiDropdownComponent<V>;
export function dropdown<const V extends string>(props: DropdownProps<V> & { multiselect?: false }): DropdownComponent<V>;
export function dropdown<const V extends string>(props: DropdownProps<V>): DropdownComponent<V> | MultiDropdownComponent<V> {
  // Checked against `this.props`, not the props given here: a run may give the dropdown new
  // choices with update(), and the server then checks a session's values against those.
  const values = (p: DropdownProps<V>) => p.choices.map((c) => (typeof c === "string" ? c : c[1]));
  const allowed = (p: DropdownProps<V>, v: unknown): v is V => typeof v === "string" && (p.allowCustomValue === true || values(p).includes(v as V));
  const expected = (p: DropdownProps<V>) => `one of ${values(p).map((v) => JSON.stringify(v)).join(", ")}`;
  if (props.multiselect) {
    const multi: MultiDropdownComponent<V> = {
      kind: "dropdown",
      props,
      initial: props.value === null || props.value === undefined ? [] : ([] as V[]).concat(props.value),
      preprocess(raw) {
        if (!Array.isArray(raw) || !raw.every((v) => allowed(this.props, v))) throw invalidInput("dropdown", this.props, `a list of ${expected(this.props)}`, raw);
        return raw;
      },
      postprocess(value) {
        if (value === null || value === undefined) return [];
        if (!Array.isArray(value) || !value.every((v) => allowed(this.props, v))) throw invalidOutput("dropdown", this.props, `a list of ${expected(this.props)}`, value);
        return [...value];
      },
    };
    return multi;
  }
  const single: DropdownComponent<V> = {
    kind: "dropdown",
    props,
    initial: typeof props.value === "string" ? props.value : null,
    preprocess(raw) {
      if (!allowed(this.props, raw)) throw invalidInput("dropdown", this.props, expected(this.props), raw);
      return raw;
    },
    postprocess(value) {
      if (value === null || value === undefined) return null;
      if (!allowed(this.props, value)) throw invalidOutput("dropdown", this.props, expected(this.props), value);
      return value;
    },
  };
  return single;
}
