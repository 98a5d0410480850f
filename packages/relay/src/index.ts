/**
 * The share relay: `startRelay` runs on a machine testers can reach; apps connect out to it with
 * `openTunnel` (or `shareThroughRelay`, what `launch({ share: relayUrl })` uses) and get a public
 * link that carries their pages and WebSockets.
 * @module @dais/relay
 */
export { listen } from "./listen.ts";
export { openTunnel, type Tunnel, type TunnelOptions, type TunnelStatus } from "./openTunnel.ts";
export { type Shared, shareThroughRelay } from "./shareThroughRelay.ts";
export { type Relay, type RelayOptions, startRelay } from "./startRelay.ts";
export { TunnelError, type TunnelErrorCode } from "./TunnelError.ts";
