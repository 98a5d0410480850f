import { type BaseProps, type Component, invalidInput, invalidOutput } from "../../Component.ts";

export interface NumberProps extends BaseProps {
  minimum?: number;
  maximum?: number;
  step?: number;
  /** Digits after the point that fn receives; 0 gives whole numbers. */
  precision?: number;
  value?: number;
}

export type NumberComponent = Component<"number", number, number | null | undefined, number | null, NumberProps>;

/**
 * A number input or output.
 * @example number({ label: "Temperature", minimum: 0, maximum: 2, step: 0.1 })
 */
export function number(props: NumberProps = {}): NumberComponent {
  return {
    kind: "number",
    props,
    initial: props.value ?? null,
    preprocess(raw) {
      const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
      if (typeof n !== "number" || !Number.isFinite(n)) throw invalidInput("number", this.props, "a number", raw);
      checkRange("number", this.props, n);
      return props.precision === undefined ? n : round(n, props.precision);
    },
    postprocess(value) {
      if (value === null || value === undefined) return null;
      if (typeof value !== "number" || Number.isNaN(value)) throw invalidOutput("number", this.props, "a number", value);
      return value;
    },
  };
}

export function checkRange(kind: string, props: { minimum?: number; maximum?: number; label?: string }, n: number): void {
  if (props.minimum !== undefined && n < props.minimum) throw invalidInput(kind, props, `a number of at least ${props.minimum}`, n);
  if (props.maximum !== undefined && n > props.maximum) throw invalidInput(kind, props, `a number of at most ${props.maximum}`, n);
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
