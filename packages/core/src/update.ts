import { DaisError } from "./DaisError.ts";

/** Marks a value returned by fn as an update of a component's props (and maybe its value). */
export const updateMarker: unique symbol = Symbol.for("dais.update");

/** The props a run may change on an output. */
export const updatableProps = ["visible", "interactive", "label", "info", "placeholder", "choices", "minimum", "maximum", "step", "lines", "height", "variant"] as const;
export type UpdatableProp = (typeof updatableProps)[number];

export interface UpdateProps {
  visible?: boolean;
  interactive?: boolean;
  label?: string;
  info?: string;
  placeholder?: string;
  choices?: readonly (string | readonly [string, string])[];
  minimum?: number;
  maximum?: number;
  step?: number;
  lines?: number;
  height?: number;
  variant?: "primary" | "secondary" | "stop";
}

/** What `update()` returns: new props for an output and, when given, its new value. */
export type Update<V = unknown> = UpdateProps & { readonly value?: V; readonly [updateMarker]: true };

/**
 * Changes an output's props from fn, as Gradio's `gr.update`: hide or show it, lock it, relabel
 * it, give a dropdown new choices; with `value`, set its value too (otherwise it keeps it).
 * @example fn: (on: boolean) => update({ visible: on, label: on ? "Shown" : "Hidden" })
 */
export function update<V = never>(changes: UpdateProps & { value?: V }): Update<V> {
  return { ...changes, [updateMarker]: true } as Update<V>;
}

export function isUpdate(value: unknown): value is Update {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[updateMarker] === true;
}

/**
 * Splits an update into its props, checked (known names, plain JSON values of the right type),
 * and its value. fn is the app author's code, so a bad prop is their bug: a clear error, no crash.
 */
export function splitUpdate(u: Update): { props: UpdateProps; value: unknown; hasValue: boolean } {
  const props: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(u)) {
    if (key === "value") continue;
    if (!(updatableProps as readonly string[]).includes(key)) throw new DaisError("invalid_output", `update() cannot change "${key}"; it can change ${updatableProps.join(", ")} and value.`);
    const ok =
      key === "visible" || key === "interactive"
        ? typeof v === "boolean"
        : key === "choices"
          ? Array.isArray(v) && v.every((c) => typeof c === "string" || (Array.isArray(c) && c.length === 2 && c.every((x) => typeof x === "string")))
          : ["minimum", "maximum", "step", "lines", "height"].includes(key)
            ? typeof v === "number" && Number.isFinite(v)
            : typeof v === "string";
    if (!ok) throw new DaisError("invalid_output", `update() got a wrong value for "${key}".`);
    props[key] = key === "choices" ? (v as unknown[]).map((c) => (Array.isArray(c) ? [...c] : c)) : v;
  }
  return { props, value: u.value, hasValue: Object.hasOwn(u, "value") };
}
