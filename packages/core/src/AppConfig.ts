import type { ComponentKind } from "./registry.ts";
import type { Theme } from "./theme.ts";

/** A visible component as the UI receives it. State components never appear here. */
export interface ComponentConfig {
  id: number;
  kind: Exclude<ComponentKind, "state">;
  props: Record<string, unknown>;
  /** The wire value shown before any run and after Clear. */
  value: unknown;
}

export interface FnConfig {
  id: number;
  /** Ids of the visible components whose values a run sends, in order. */
  inputs: number[];
  /** Ids of the visible components a run's result fills, in order. */
  outputs: number[];
}

/** Which components and functions make up a ChatInterface page. */
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
}

/** Everything the UI needs to render an app; served as JSON at `config`. */
export interface AppConfig {
  /** A digest of the config, set by the server; a page seeing another one reloads. */
  id?: string;
  version: string;
  title: string;
  description: string;
  article: string;
  layout: "interface" | "chat";
  chat?: ChatLayout;
  theme: Theme;
  css: string;
  components: ComponentConfig[];
  fns: FnConfig[];
}
