import type { App, AppConfig } from "@dais/core";
import { type ApiEndpoint, type ApiValue, apiEndpoints, gradioClass } from "./apiEndpoints.ts";

/** The Gradio version whose wire this adapter speaks (what the client sees in `version`). */
export const gradioWireVersion = "6.25.0";

/**
 * The app config `@gradio/client` reads at `config`: protocol `sse_v3` under `/gradio_api`, the
 * components (states as `"state"`, so clients send `null` in their slots) and one dependency per
 * named endpoint, with its fn id as `fn_index`. `root` is left empty: the client then uses the
 * URL it was given, which stays right behind proxies and under a path prefix.
 */
export function gradioConfig(app: App, config: AppConfig & { id: string }, endpoints: readonly ApiEndpoint[] = apiEndpoints(app)): Record<string, unknown> {
  const components = [...app.components.entries()].map(([id, c]) => ({
    id,
    type: c.kind === "state" ? "state" : c.kind,
    props: c.kind === "state" ? {} : { label: c.props.label ?? null, visible: c.props.visible ?? true },
    skip_api: c.kind === "state" || c.kind === "button",
    component_class_id: gradioClass(c),
  }));
  const dependencies = endpoints.map((e) => ({
    id: e.fn.id,
    targets: (config.fns[e.fn.id]?.triggers ?? []).map((t) => [t.id, t.event]),
    inputs: [...e.fn.inputs],
    // A chat endpoint returns only its reply; the client maps data to these one by one.
    outputs: e.chatbot === undefined ? [...e.fn.outputs] : [e.chatbot],
    backend_fn: true,
    js: null,
    queue: true,
    api_name: e.name.slice(1),
    api_visibility: "public",
    show_api: true,
    scroll_to_output: false,
    show_progress: "full",
    batch: false,
    trigger_mode: "once",
    // Any fn may stream: a generator's partial results arrive as diffs either way.
    types: { generator: true, cancel: false },
    connection: "sse",
  }));
  return {
    version: gradioWireVersion,
    mode: "blocks",
    title: config.title,
    description: config.description,
    protocol: "sse_v3",
    api_prefix: "/gradio_api",
    root: "",
    app_id: config.id,
    enable_queue: true,
    show_api: true,
    is_space: false,
    auth_required: false,
    connect_heartbeat: false,
    max_file_size: null,
    components,
    dependencies,
    layout: { id: -1, children: [] },
  };
}

/** `gradio_api/info`: each endpoint's parameters and returns, states left out, as Gradio describes them. */
export function gradioInfo(endpoints: readonly ApiEndpoint[]): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  for (const e of endpoints) {
    named[e.name] = {
      description: e.description,
      parameters: e.parameters.map((p) => ({
        ...value(p),
        parameter_name: p.parameterName,
        parameter_has_default: true,
        parameter_default: p.example,
        example_input: p.example,
      })),
      returns: e.returns.map(value),
      show_api: true,
    };
  }
  return { named_endpoints: named, unnamed_endpoints: {} };
}

function value(v: ApiValue) {
  return { label: v.label, type: v.type, python_type: { type: v.pythonType, description: "" }, component: v.component, serializer: "" };
}
