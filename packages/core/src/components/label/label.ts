import { type BaseProps, type Component, invalidInput, invalidOutput } from "../../Component.ts";

export interface Confidence {
  label: string;
  confidence: number;
}

/** What the UI shows: the top label and, when known, the confidences behind it. */
export interface LabelData {
  label: string | null;
  confidences: Confidence[];
}

export interface LabelProps extends BaseProps {
  /** How many of the most confident classes to show. */
  numTopClasses?: number;
}

/** A class name, or a map of class names to confidences (a classifier's output). */
export type LabelOut = string | number | Record<string, number> | LabelData | null | undefined;

export type LabelComponent = Component<"label", LabelData, LabelOut, LabelData, LabelProps>;

/**
 * A classification result: the winning label and a bar per class.
 * @example label({ numTopClasses: 3 })
 */
export function label(props: LabelProps = {}): LabelComponent {
  const empty: LabelData = { label: null, confidences: [] };
  return {
    kind: "label",
    props,
    initial: empty,
    preprocess(raw) {
      if (!isLabelData(raw)) throw invalidInput("label", this.props, "a label", raw);
      return raw;
    },
    postprocess(value) {
      if (value === null || value === undefined) return empty;
      if (typeof value === "string" || typeof value === "number") return { label: String(value), confidences: [] };
      if (isLabelData(value)) return value;
      if (typeof value !== "object" || Array.isArray(value)) throw invalidOutput("label", this.props, "a label or a map of confidences", value);
      const entries = Object.entries(value);
      if (!entries.every(([, c]) => typeof c === "number" && Number.isFinite(c)))
        throw invalidOutput("label", this.props, "a map of label to confidence number", value);
      const confidences = entries
        .map(([l, c]) => ({ label: l, confidence: c }))
        .sort((a, b) => b.confidence - a.confidence)
        .slice(0, props.numTopClasses ?? Infinity);
      return { label: confidences[0]?.label ?? null, confidences };
    },
  };
}

function isLabelData(v: unknown): v is LabelData {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    (o.label === null || typeof o.label === "string") &&
    Array.isArray(o.confidences) &&
    o.confidences.every((c: unknown) => typeof c === "object" && c !== null && typeof (c as Confidence).label === "string" && typeof (c as Confidence).confidence === "number")
  );
}
