/**
 * The one import users need: every component and type from @dais/core, the server's
 * `launch`, and `Interface` with a `launch()` method.
 * @module dais
 */
export * from "@dais/core";
export {
  createServer,
  type DaisServer,
  type Launched,
  type LaunchOptions,
  MemorySessionStore,
  type ProcessRole,
  processRole,
  runsFunctions,
  type ServerOptions,
  type SessionRecord,
  type SessionStore,
} from "@dais/server";
export { Blocks } from "./Blocks.ts";
export { ChatInterface } from "./ChatInterface.ts";
export { Interface } from "./Interface.ts";
export { TabbedInterface } from "./TabbedInterface.ts";
export { launchApp } from "./launchApp.ts";
