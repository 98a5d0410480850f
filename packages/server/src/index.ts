export * from "./createServer.ts";
export * from "./launch.ts";
export * from "./Queue.ts";
export * from "./Run.ts";
export * from "./Runner.ts";
export * from "./adapters/HttpAdapter.ts";
export * from "./Channel.ts";
export * from "./FrameLog.ts";
export * from "./MemorySessionStore.ts";
export * from "./Runtime.ts";
export * from "./SessionRecord.ts";
export * from "./SessionStore.ts";
export * from "./lanAddresses.ts";
export { type Auth } from "./access/loginGate.ts";
// The relay is its own package (it runs on another machine); re-exported so server's API stays whole.
export { listen, openTunnel, type Relay, type RelayOptions, type Shared, shareThroughRelay, startRelay, type Tunnel, TunnelError, type TunnelErrorCode, type TunnelOptions, type TunnelStatus } from "@dais/relay";
export { newToken } from "./access/tokenGate.ts";
export { callFn, type FnCall } from "./adapters/callFn.ts";
export { gradioAdapter, type GradioAdapterOptions } from "./adapters/gradio/gradioAdapter.ts";
export { openaiAdapter, type OpenAIAdapterOptions } from "./adapters/openai/openaiAdapter.ts";
// mcpAdapter is loaded by launch() only when asked for (the MCP SDK is slow to load).
export { connectRedis, type ProcessRole, type RedisBackend, type RedisOptions } from "./connectRedis.ts";
export { processRole, runsFunctions } from "./processRole.ts";
export type { SessionFrames, AppendOptions } from "./SessionFrames.ts";
export { MemorySessionFrames } from "./MemorySessionFrames.ts";
export type { RunTransport } from "./RunTransport.ts";
