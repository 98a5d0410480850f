// Copies the repository's demos/ into this package, so `dais demos` and `dais demo <name>` work
// from any folder once `dais` is installed. demos/ stays the one source: every folder with an
// app.ts ships, new ones included, with no list to keep in step.
import { cpSync, existsSync, readdirSync, rmSync } from "node:fs";

const from = new URL("../../../demos/", import.meta.url);
const to = new URL("../demos/", import.meta.url);
rmSync(to, { recursive: true, force: true });
for (const name of readdirSync(from)) {
  if (!existsSync(new URL(`${name}/app.ts`, from))) continue;
  cpSync(new URL(`${name}/`, from), new URL(`${name}/`, to), {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|flagged|dist)([/\\]|$)/.test(src),
  });
}
