/**
 * The one import users need: every component and type from @dais/core, the server's
 * `launch`, and `Interface` with a `launch()` method.
 * @module dais
 */
export * from "@dais/core";
export { createServer, type DaisServer, type Launched, type LaunchOptions, type ServerOptions, SessionStore } from "@dais/server";
export { ChatInterface } from "./ChatInterface.ts";
export { Interface } from "./Interface.ts";
export { launchApp } from "./launchApp.ts";
