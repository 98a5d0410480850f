import type { AnyComponent, App, AppFn, LayoutNode } from "@dais/core";

/** One value an endpoint takes or returns, described for programs (Gradio's `/info` shape). */
export interface ApiValue {
  readonly id: number;
  readonly label: string;
  /** A name a program can pass it by (`message`), unique within the endpoint. */
  readonly parameterName: string;
  /** Gradio's component class name (`Textbox`). */
  readonly component: string;
  /** A JSON-schema-like type (`{ type: "string" }`). */
  readonly type: Record<string, unknown>;
  /** The Python type `gradio_client` documents (`str`). */
  readonly pythonType: string;
  /** A value a snippet can send: the component's first value. */
  readonly example: unknown;
}

/** A named function as programs see it: its visible inputs and outputs (states are kept by the session). */
export interface ApiEndpoint {
  /** `/predict`, `/chat`, `/<name>`. */
  readonly name: string;
  readonly fn: AppFn;
  readonly parameters: readonly ApiValue[];
  readonly returns: readonly ApiValue[];
  /** What it does, from the app (`description`). */
  readonly description: string;
  /**
   * For a ChatInterface's send: the chatbot whose last reply is the result. As in Gradio, `/chat`
   * takes the message (and additional inputs) and returns the reply text; the session keeps the
   * history.
   */
  readonly chatbot?: number;
}

/** Every endpoint of an app: its functions with an `apiName`, in order; hidden ones are left out. */
export function apiEndpoints(app: App): ApiEndpoint[] {
  const chats = new Map<number, number>();
  collectChats(app.config.layout, chats);
  const out: ApiEndpoint[] = [];
  for (const fn of app.fns) {
    if (fn.apiName === null || fn.fn === null) continue;
    const chatbot = chats.get(fn.id);
    const base = { name: `/${fn.apiName}`, fn, parameters: describe(app, fn.inputs), description: fn.description ?? "" };
    if (chatbot === undefined) out.push({ ...base, returns: describe(app, fn.outputs) });
    else {
      const reply: ApiValue = { id: chatbot, label: "value", parameterName: "value", component: "Textbox", type: { type: "string" }, pythonType: "str", example: "" };
      out.push({ ...base, chatbot, returns: [reply] });
    }
  }
  return out;
}

/** The send function of each ChatInterface composite in the layout, to its chatbot. */
function collectChats(node: LayoutNode, into: Map<number, number>): void {
  if (node.type === "chat") into.set(node.chat.submit, node.chat.chatbot);
  else if (node.type !== "component") for (const child of node.children) collectChats(child, into);
}

/** Whether component `id` is a state, which the session keeps and programs never send. */
export function isStateId(app: App, id: number): boolean {
  return app.components.get(id)?.kind === "state";
}

function describe(app: App, ids: readonly number[]): ApiValue[] {
  const used = new Set<string>();
  const values: ApiValue[] = [];
  for (const id of ids) {
    const c = app.components.get(id);
    if (!c || c.kind === "state") continue;
    const label = typeof c.props.label === "string" && c.props.label !== "" ? c.props.label : c.kind;
    let name = label.toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "") || c.kind;
    if (/^[0-9]/.test(name)) name = `_${name}`;
    const base = name;
    for (let k = 2; used.has(name); k++) name = `${base}_${k}`;
    used.add(name);
    values.push({ id, label, parameterName: name, component: gradioClass(c), ...types(c), example: c.initial ?? null });
  }
  return values;
}

/** Gradio's class name for a kind: the Python client and the API page show it. */
export function gradioClass(c: AnyComponent): string {
  if (c.kind === "json") return "JSON";
  if (c.kind === "html") return "HTML";
  return c.kind.charAt(0).toUpperCase() + c.kind.slice(1);
}

function types(c: AnyComponent): { type: Record<string, unknown>; pythonType: string } {
  switch (c.kind) {
    case "textbox":
    case "markdown":
    case "button":
    case "code":
    case "html":
      return { type: { type: "string" }, pythonType: "str" };
    case "dataframe":
    case "plot":
      return {
        type: { type: "object", properties: { headers: { type: "array", items: { type: "string" } }, data: { type: "array", items: { type: "array" } } } },
        pythonType: "dict(headers: list[str], data: list[list[Any]])",
      };
    case "number":
    case "slider":
      return { type: { type: "number" }, pythonType: "float" };
    case "checkbox":
      return { type: { type: "boolean" }, pythonType: "bool" };
    case "dropdown":
      return c.props.multiselect
        ? { type: { type: "array", items: { type: "string" } }, pythonType: "list[str]" }
        : { type: { type: "string" }, pythonType: "str" };
    case "label":
      return { type: { type: "object", properties: { label: { type: "string" }, confidences: { type: "array" } } }, pythonType: "dict(label: str, confidences: list)" };
    case "chatbot":
      return {
        type: { type: "array", items: { type: "object", properties: { role: { type: "string" }, content: { type: "array" } } } },
        pythonType: "list[dict(role: str, content: list[dict(type: str, text: str)])]",
      };
    case "image":
    case "audio":
    case "video":
      return { type: fileDataSchema, pythonType: "filepath" };
    case "file":
      return c.props.fileCount === "multiple" ? { type: { type: "array", items: fileDataSchema }, pythonType: "list[filepath]" } : { type: fileDataSchema, pythonType: "filepath" };
    case "gallery":
      return { type: { type: "array", items: { type: "object", properties: { image: fileDataSchema, caption: { type: ["string", "null"] } } } }, pythonType: "list[dict(image: filepath, caption: str | None)]" };
    case "multimodalTextbox":
      return { type: { type: "object", properties: { text: { type: "string" }, files: { type: "array", items: fileDataSchema } } }, pythonType: "dict(text: str, files: list[filepath])" };
    default:
      return { type: {}, pythonType: "Any" };
  }
}

/** Gradio's FileData, as its API info describes it (the Python client uploads what matches). */
const fileDataSchema = {
  type: "object",
  title: "FileData",
  properties: { path: { type: "string" }, url: { type: ["string", "null"] }, orig_name: { type: ["string", "null"] }, size: { type: ["integer", "null"] }, mime_type: { type: ["string", "null"] }, meta: { type: "object" } },
  required: ["path"],
  description: "A file: upload it to gradio_api/upload, then send {path, meta: {_type: \"gradio.FileData\"}}.",
};
