import { parseArgs } from "node:util";
import type { Command } from "./Command.ts";

export const relayCommand: Command = {
  summary: "Run a relay that gives apps elsewhere a public link",
  help: `Usage: dais relay [options]

Runs a small relay on a machine testers can reach (one with a public address). Apps anywhere
connect out to it with launch({ share: "<relay url>/?key=<key>" }) or "dais run app.ts --share <url>",
and get a public link that carries their pages and WebSockets.

Options:
  --port <n>          Port to listen on (default 8080)
  --host <addr>       Interface to listen on (default 0.0.0.0)
  --key <key>         The key apps must present (default: a new random one, printed)
  --public-url <url>  The address testers use, if not http://<host>:<port> (behind TLS, say)
  -h, --help          Show this help`,
  async run(args) {
    const { values } = parseArgs({ args, options: { port: { type: "string" }, host: { type: "string" }, key: { type: "string" }, "public-url": { type: "string" } } });
    const { startRelay } = await import("@dais/relay");
    await startRelay({
      port: values.port === undefined ? 8080 : Number(values.port),
      host: values.host ?? "0.0.0.0",
      ...(values.key ? { key: values.key } : {}),
      ...(values["public-url"] ? { publicUrl: values["public-url"] } : {}),
    });
    return new Promise<number>(() => {});
  },
};
