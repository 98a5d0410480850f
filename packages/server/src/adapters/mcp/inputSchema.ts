import type { AnyComponent } from "@dais/core";

/** A JSON Schema, as MCP tools declare their inputs. */
export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of the value a program passes for a component: its wire value, described by
 * the component's props (ranges, choices) so an agent can fill it in without guessing.
 */
export function inputSchema(component: AnyComponent): JsonSchema {
  const props = component.props as Record<string, unknown>;
  const described = typeof props.info === "string" ? { description: props.info } : typeof props.label === "string" ? { description: props.label } : {};
  const range = (): JsonSchema => ({
    ...(typeof props.minimum === "number" ? { minimum: props.minimum } : {}),
    ...(typeof props.maximum === "number" ? { maximum: props.maximum } : {}),
  });
  switch (component.kind) {
    case "textbox":
    case "markdown":
    case "code":
    case "html":
      return { type: "string", ...described };
    case "dataframe":
    case "plot":
      return {
        type: "object",
        properties: { headers: { type: "array", items: { type: "string" } }, data: { type: "array", items: { type: "array" } } },
        required: ["headers", "data"],
        ...described,
      };
    case "number":
    case "slider":
      return { type: "number", ...range(), ...described };
    case "checkbox":
      return { type: "boolean", ...described };
    case "dropdown": {
      const choices = (props.choices as readonly (string | readonly [string, string])[]).map((c) => (typeof c === "string" ? c : c[1]));
      const one: JsonSchema = props.allowCustomValue ? { type: "string" } : { type: "string", enum: choices };
      return props.multiselect ? { type: "array", items: one, ...described } : { ...one, ...described };
    }
    case "chatbot":
      return {
        type: "array",
        items: { type: "object", properties: { role: { type: "string", enum: ["user", "assistant", "system"] }, content: { type: "string" } }, required: ["role", "content"] },
        ...described,
      };
    default:
      // json, label and anything newer: any JSON value; the component checks it.
      return { ...described };
  }
}
