import { type BaseProps, type Component, invalidInput, invalidOutput } from "../../Component.ts";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface JsonProps extends BaseProps {
  value?: JsonValue;
}

export type JsonComponent = Component<"json", JsonValue, unknown, JsonValue, JsonProps>;

/**
 * Any JSON value, shown formatted. As an input it takes JSON text or a value.
 * @example json({ label: "Raw output" })
 */
export function json(props: JsonProps = {}): JsonComponent {
  return {
    kind: "json",
    props,
    initial: props.value ?? null,
    preprocess(raw) {
      if (typeof raw === "string") {
        try {
          return JSON.parse(raw) as JsonValue;
        } catch {
          throw invalidInput("json", this.props, "valid JSON", raw);
        }
      }
      return raw as JsonValue; // it arrived as JSON, so it is JSON
    },
    postprocess(value) {
      if (value === undefined) return null;
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch {
        text = undefined; // cycles and BigInt end up here
      }
      if (text === undefined) throw invalidOutput("json", this.props, "a JSON value", value);
      // Round-tripping drops what JSON cannot carry (functions, undefined fields, class identity).
      return JSON.parse(text) as JsonValue;
    },
  };
}
