import type { App, AppConfig } from "@dais/core";
import type { Router } from "express";
import type { Runtime } from "../Runtime.ts";

/** What an HTTP adapter gets: the app plan, the page's config (with its id) and the runtime. */
export interface AdapterContext {
  readonly app: App;
  readonly config: AppConfig & { id: string };
  readonly runtime: Runtime;
}

/**
 * A way for programs to reach the app over HTTP (Gradio's routes, OpenAI's, MCP). It adds its
 * routes to the app's router, behind the same access gates as the page, and drives the runtime
 * through a `Channel` like any other client: it translates, and holds no domain logic.
 */
export interface HttpAdapter {
  readonly name: string;
  routes(router: Router, context: AdapterContext): void;
  /** Frees what the routes hold (timers, sessions, streams); the server calls it when it closes. */
  close?(): void | Promise<void>;
}
