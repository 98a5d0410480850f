export * from "./createServer.ts";
export * from "./launch.ts";
export * from "./listen.ts";
export * from "./Queue.ts";
export * from "./Run.ts";
export * from "./Runner.ts";
export * from "./Session.ts";
export * from "./SessionStore.ts";
