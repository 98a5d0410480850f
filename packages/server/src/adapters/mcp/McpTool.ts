import type { App, AppConfig, AppFn } from "@dais/core";
import type { Runtime } from "../../Runtime.ts";
import { callFn } from "../callFn.ts";
import { inputSchema, type JsonSchema } from "./inputSchema.ts";

/** What a tool call gives back: MCP's content list, flagged when the run failed. */
export interface ToolResult {
  [key: string]: unknown;
  content: { type: "text"; text: string }[];
  isError?: boolean;
}

/**
 * A named endpoint as an MCP tool: its visible inputs become the properties of one argument
 * object (named after their labels), its states are left out (each call runs in a fresh
 * session), and its visible outputs come back as text, JSON for anything but strings.
 */
export class McpTool {
  private constructor(
    readonly name: string,
    readonly description: string,
    readonly inputSchema: JsonSchema,
    private readonly fn: number,
    /** Argument names of the visible inputs, in order, with the value used when one is left out. */
    private readonly params: { name: string; fallback: unknown; required: boolean }[],
    private readonly outputs: number[],
  ) {}

  /** Every function of the app with an endpoint name. */
  static all(app: App, config: AppConfig): McpTool[] {
    return app.fns.filter((f) => f.apiName !== null && f.fn !== null).map((f) => McpTool.of(app, config, f));
  }

  private static of(app: App, config: AppConfig, f: AppFn): McpTool {
    const visible = (ids: readonly number[]) => ids.filter((id) => app.components.get(id)?.kind !== "state");
    const taken = new Set<string>();
    const params = visible(f.inputs).map((id, i) => {
      const component = app.components.get(id)!;
      const label = typeof component.props.label === "string" ? component.props.label : "";
      const base = label.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 48) || `${component.kind}_${i}`;
      let name = base;
      for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
      taken.add(name);
      const fallback = config.components.find((c) => c.id === id)?.value ?? null;
      // A value the app starts with (a slider's, a dropdown's) may be left out; an empty one may not.
      const required = fallback === null || fallback === "" || (Array.isArray(fallback) && fallback.length === 0);
      return { name, fallback, required, schema: { ...inputSchema(component), ...(required ? {} : { default: fallback }) } };
    });
    const schema: JsonSchema = {
      type: "object",
      properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
      required: params.filter((p) => p.required).map((p) => p.name),
    };
    const description = f.description || config.description || config.title || `Runs ${f.apiName}.`;
    return new McpTool(f.apiName!, description, schema, f.id, params, visible(f.outputs));
  }

  /** Runs the function with `args` in a session of its own. Bad arguments and failures come back as error results. */
  async call(runtime: Runtime, args: unknown, signal: AbortSignal): Promise<ToolResult> {
    const given = typeof args === "object" && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>) : undefined;
    if (args !== undefined && !given) return failure("The arguments must be an object.");
    const missing = this.params.filter((p) => p.required && (given?.[p.name] === undefined));
    if (missing.length > 0) return failure(`Missing ${missing.map((p) => `"${p.name}"`).join(", ")}.`);
    const data = this.params.map((p) => (given !== undefined && Object.hasOwn(given, p.name) ? given[p.name] : p.fallback));
    try {
      const values = await callFn(runtime, { fn: this.fn, data, signal });
      return { content: this.outputs.map((id) => ({ type: "text" as const, text: asText(values[id]) })) };
    } catch (e) {
      return failure(e instanceof Error ? e.message : String(e));
    }
  }
}

function asText(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "null");
}

function failure(message: string): ToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}
