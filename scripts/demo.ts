// `pnpm demo [name] [args...]` runs demos/<name>/app.ts (default: echo-chatbot) with tsx, as a
// user would run their own app: no build step.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const [name = "echo-chatbot", ...rest] = process.argv.slice(2);
const app = `${root}demos/${name}/app.ts`;
if (!existsSync(app)) {
  const names = readdirSync(`${root}demos`).filter((d) => existsSync(`${root}demos/${d}/app.ts`));
  console.error(`No demo "${name}". Demos: ${names.join(", ")}`);
  process.exit(2);
}
const child = spawn(process.execPath, ["--import", "tsx", app, ...rest], { stdio: "inherit" });
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const s of ["SIGINT", "SIGTERM"] as const) process.on(s, () => child.kill(s));
