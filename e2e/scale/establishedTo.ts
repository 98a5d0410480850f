import { readFileSync } from "node:fs";

/**
 * How many TCP connections to loopback port `port` are open now, read from the kernel's table
 * (Linux). Behind nginx, the web process holding a page's WebSocket is the one with an open
 * connection: every other request's upstream connection closes with its response.
 */
export function establishedTo(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  let n = 0;
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      // State 01 is ESTABLISHED; the local address is `ADDR:PORT` in hex.
      if (state === "01" && local?.endsWith(`:${hex}`)) n++;
    }
  }
  return n;
}
