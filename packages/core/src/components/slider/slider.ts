import { type BaseProps, type Component, invalidInput, invalidOutput } from "../../Component.ts";
import { checkRange } from "../number/number.ts";

export interface SliderProps extends BaseProps {
  minimum?: number;
  maximum?: number;
  step?: number;
  value?: number;
}

export type SliderComponent = Component<"slider", number, number, number, SliderProps & { minimum: number; maximum: number; step: number }>;

/**
 * A number picked on a range.
 * @example slider({ label: "Max new tokens", minimum: 1, maximum: 256, step: 1, value: 64 })
 */
export function slider(props: SliderProps = {}): SliderComponent {
  const full = { minimum: 0, maximum: 100, step: 1, ...props };
  return {
    kind: "slider",
    props: full,
    initial: props.value ?? full.minimum,
    preprocess(raw) {
      if (typeof raw !== "number" || !Number.isFinite(raw)) throw invalidInput("slider", this.props, "a number", raw);
      checkRange("slider", this.props, raw);
      // The page only offers minimum + k·step; anything between came from somewhere else.
      const { minimum, step } = this.props;
      const k = (raw - minimum) / step;
      if (step > 0 && Math.abs(k - Math.round(k)) > 1e-9 * Math.max(1, Math.abs(k))) throw invalidInput("slider", this.props, `a step of ${step} from ${minimum}`, raw);
      return raw;
    },
    postprocess(value) {
      if (typeof value !== "number" || !Number.isFinite(value)) throw invalidOutput("slider", this.props, "a number", value);
      return value;
    },
  };
}
