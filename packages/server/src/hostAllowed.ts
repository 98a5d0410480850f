import { isIP } from "node:net";

/**
 * Whether a request's Host header names this app. A page on `evil.example` whose DNS is
 * rebound to 127.0.0.1 reaches a loopback app with `Host: evil.example`, so an app on loopback
 * answers only to its own names (as Vite and Jupyter do): IP addresses, `localhost` and
 * `*.localhost`, and the names in `allowed` (`"demo.example.com"`, or `".example.com"` for it
 * and every subdomain).
 * @example hostAllowed("localhost:7860", []) // true; hostAllowed("evil.example", []) // false
 */
export function hostAllowed(host: string | undefined, allowed: readonly string[]): boolean {
  if (!host) return false;
  const name = hostname(host);
  if (name === undefined) return false;
  if (isIP(name) !== 0 || name === "localhost" || name.endsWith(".localhost")) return true;
  return allowed.some((a) => {
    const entry = a.toLowerCase();
    return entry.startsWith(".") ? name === entry.slice(1) || name.endsWith(entry) : name === entry;
  });
}

/** `Host` without its port, lower-cased; `[::1]:80` -> `::1`. Undefined when malformed. */
function hostname(host: string): string | undefined {
  const m = /^(?:\[([0-9a-f:.]+)\]|([^:[\]\s/\\@]+))(?::\d{1,5})?$/i.exec(host.trim());
  if (!m) return undefined;
  return (m[1] ?? m[2] ?? "").toLowerCase().replace(/\.$/, "");
}
