import type { EventName, TriggerMode } from "./events.ts";
import type { ComponentPropsMap, VisibleKind } from "./registry.ts";
import type { Theme } from "./theme.ts";

/** A visible component of kind K as the page receives it. State components never appear here. */
export interface KindConfig<K extends VisibleKind> {
  id: number;
  kind: K;
  props: ComponentPropsMap[K];
  /** The wire value shown before any run and after Clear. */
  value: unknown;
  /** Whether the person can edit it: it is some function's input, unless props say otherwise. */
  interactive: boolean;
}

/** Any visible component's config: a union over the kinds, so `kind` narrows `props`. */
export type ComponentConfig = { [K in VisibleKind]: KindConfig<K> }[VisibleKind];

/** ChatInterface's page: which components and functions its composer and buttons use. */
export interface ChatLayout {
  chatbot: number;
  textbox: number;
  additionalInputs: number[];
  /** Function ids behind the buttons. */
  submit: number;
  retry: number;
  undo: number;
  /** Example messages shown in the empty chat; clicking one sends it. */
  examples: string[];
  /** Editing a sent message: the function, and the component the page puts `{ index, text }` in. */
  edit?: { fn: number; request: number };
  /** Conversations saved in the browser: the function that loads one, and its carrier component. */
  saved?: { fn: number; conversation: number };
  /** A multimodal chat's attachments: the component the page puts the uploaded files' FileData in. */
  attachments?: number;
}

/**
 * Where components sit on the page: a tree of containers with components as leaves. `chat` is
 * ChatInterface's composite (conversation, composer, Stop/Retry/Undo/Clear).
 */
export type LayoutNode =
  | { type: "component"; id: number }
  | { type: "row"; props: { equalHeight?: boolean; variant?: "panel" | "default" }; children: LayoutNode[] }
  | { type: "column"; props: { scale?: number; minWidth?: number; variant?: "panel" | "default"; label?: string }; children: LayoutNode[] }
  | { type: "group"; props: Record<string, never>; children: LayoutNode[] }
  | { type: "tabs"; props: { selected?: number }; children: LayoutNode[] }
  | { type: "tab"; props: { label: string }; children: LayoutNode[] }
  | { type: "accordion"; props: { label: string; open: boolean }; children: LayoutNode[] }
  | { type: "chat"; chat: ChatLayout };

export type ContainerNode = Exclude<LayoutNode, { type: "component" } | { type: "chat" }>;
export type ContainerType = ContainerNode["type"];

/** What starts a function: an event of a component, or the page loading (`id: null`). */
export interface Trigger {
  id: number | null;
  event: EventName;
}

export interface FnConfig {
  id: number;
  /** Ids of the visible components whose values a run sends, in order. */
  inputs: number[];
  /** Ids of the visible components a run's result fills. */
  outputs: number[];
  triggers: Trigger[];
  /** Functions to run after this one succeeds (`.then(...)`). */
  then: number[];
  /** Runs of these functions are stopped when this one is triggered. */
  cancels: number[];
  /** False: runs outside the queue (quick ones). */
  queue: boolean;
  triggerMode: TriggerMode;
  /** Whether a run of it does anything on the server (a fn that only cancels has none). */
  hasFn: boolean;
  /** Its endpoint name for programs (`/predict`), or null when hidden. */
  api: string | null;
}

/** Everything the page needs to render an app; served as JSON at `config`. */
export interface AppConfig {
  /** A digest of the config, set by the server; a page seeing another one reloads. */
  id?: string;
  version: string;
  title: string;
  description: string;
  article: string;
  theme: Theme;
  css: string;
  components: ComponentConfig[];
  layout: LayoutNode;
  fns: FnConfig[];
}
