#!/usr/bin/env node
// `npm create dais [folder] [--template chatbot|interface|model]`: a new Dais project.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { scaffold, type Template, templates } from "./scaffold.ts";

const usage = `Usage: npm create dais@latest [folder] -- [--template <name>]

Templates:
${Object.entries(templates)
  .map(([name, summary]) => `  ${name.padEnd(10)} ${summary}`)
  .join("\n")}`;

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

try {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { template: { type: "string", short: "t", default: "chatbot" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const dir = positionals[0] ?? "my-dais-app";
  scaffold({ dir, template: values.template as Template, version });
  const cd = relative(process.cwd(), dir) || ".";
  console.log(`Created ${cd} from the ${values.template} template. Next:

  cd ${cd}
  npm install
  npm run dev
${values.template === "model" ? "\nThe first run downloads the model (about 500 MB) into ~/.cache/dais/models.\n" : ""}`);
} catch (e) {
  console.error(`${(e as Error).message}\n\n${usage}`);
  process.exit(1);
}
