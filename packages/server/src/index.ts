export * from "./createServer.ts";
export * from "./launch.ts";
export * from "./listen.ts";
export * from "./Session.ts";
export * from "./SessionStore.ts";
