import type { Command } from "./Command.ts";
import { defaultDemo, demoCatalog } from "./demoCatalog.ts";
import { installHint, missingPackages } from "./missingPackages.ts";
import { runApp } from "./runApp.ts";

export const demosCommand: Command = {
  summary: "List the bundled demos",
  help: `Usage: dais demos

Lists the bundled demos; run one with "dais demo <name>", or all at once with "dais demo gallery".`,
  async run() {
    const demos = demoCatalog();
    const width = Math.max(...demos.map((d) => d.name.length), 7);
    for (const d of demos) console.log(`${d.name.padEnd(width)}  ${d.summary}`);
    console.log(`${"gallery".padEnd(width)}  Every demo above from one server, with an index page.`);
  },
};

export const demoCommand: Command = {
  summary: "Run a bundled demo, or the gallery of all of them",
  help: `Usage: dais demo [name] [demo options]

Runs a bundled demo (default: ${defaultDemo}); "dais demos" lists them.
"dais demo gallery" serves every demo from one server, each at its own path.
Options after the name go to the demo (e.g. dais demo dialogpt --model ./my-model).

Options:
  --port <n>     Port (default: the first free one from 7860)
  -h, --help     Show this help`,
  async run(args) {
    // --port may come before the name too (`pnpm demo --port 8000`); the rest goes to the demo.
    const portAt = args.indexOf("--port");
    const portValue = portAt >= 0 ? args.splice(portAt, 2)[1] : undefined;
    const port = portValue === undefined ? undefined : Number(portValue);
    if (portAt >= 0 && !(port !== undefined && Number.isInteger(port) && port >= 0 && port < 65536)) {
      console.error(`--port needs a number from 0 to 65535, got "${portValue ?? ""}".`);
      return 2;
    }
    const [name = defaultDemo, ...rest] = args;
    if (name === "gallery") {
      const { runGallery } = await import("./runGallery.ts");
      return runGallery(port === undefined ? rest : ["--port", String(port), ...rest]);
    }
    const demo = demoCatalog().find((d) => d.name === name);
    if (!demo) {
      console.error(`No demo "${name}". Demos: ${demoCatalog().map((d) => d.name).join(", ")}, gallery`);
      return 2;
    }
    const missing = missingPackages(demo.file);
    if (missing.length > 0) {
      console.error(installHint(`The ${name} demo`, missing));
      return 1;
    }
    return runApp(demo.file, { port, args: rest });
  },
};
