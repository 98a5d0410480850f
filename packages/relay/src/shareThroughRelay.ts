import { openTunnel, type TunnelOptions } from "./openTunnel.ts";

export interface Shared {
  /** The public link; it changes only if the relay forgot the app while it was away. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * `launch({ share: relay })`: opens a tunnel from the app at `localUrl` to `relay` and prints
 * `Public link: <url>`. A share that cannot be made never stops the app: it prints one line
 * saying why and resolves to undefined. Drops and reconnections are printed as they happen.
 * @example
 * const shared = await shareThroughRelay("https://relay.example/?key=...", "http://127.0.0.1:7860/");
 * // Public link: https://relay.example/s/3q2-7wAAAAAAAAAAAAAAAA/
 */
export async function shareThroughRelay(relay: string, localUrl: string, options: Partial<TunnelOptions> = {}): Promise<Shared | undefined> {
  const shown = withoutKey(relay);
  let away = false;
  try {
    const tunnel = await openTunnel({
      ...options,
      relay,
      target: localUrl,
      onStatus: (status) => {
        options.onStatus?.(status);
        if (status.state === "reconnecting" && !away) {
          away = true;
          console.warn(`Lost the relay (${status.reason}); reconnecting…`);
        } else if (status.state === "connected") {
          away = false;
          console.log(status.resumed ? `Reconnected to the relay: ${status.url}` : `Public link: ${status.url} (the relay had forgotten the old one)`);
        } else if (status.state === "stopped") {
          console.warn(`Stopped sharing through ${shown}: ${status.reason}. The app keeps running at ${localUrl}`);
        }
      },
    });
    console.log(`Public link: ${tunnel.url}`);
    return tunnel;
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).replace(/\.$/, "");
    console.warn(`Could not share through ${shown}: ${why}. The app keeps running at ${localUrl}`);
    return undefined;
  }
}

/** The relay link without its key, which has no place in logs. */
function withoutKey(relay: string): string {
  try {
    const url = new URL(relay);
    url.search = "";
    url.hash = "";
    return url.href;
  } catch {
    return relay;
  }
}
