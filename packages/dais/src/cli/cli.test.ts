import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { demoCatalog } from "./demoCatalog.ts";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const main = fileURLToPath(new URL("main.ts", import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
// Every test cold-starts tsx processes, which take seconds each on a busy machine: these tests
// get a budget of their own rather than the default five seconds.
const spawnBudget = 180_000;
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGTERM");
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs `dais ...args` to completion. */
function dais(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", tsx, main, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

/** Starts `dais ...args` and resolves once it prints where it runs. */
function daisServing(args: string[]): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ["--import", tsx, main, ...args], { cwd: root, env: { ...process.env, DAIS_SERVER_PORT: "0" }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL in: ${out}`)), spawnBudget);
    const onData = (d: Buffer) => {
      out += d.toString();
      const url = /Running on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url: url.endsWith("/") ? url : `${url}/`, child, output: () => out });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
  });
}

/** A user's app in a folder of the repo (so `import "dais"` resolves), written fresh per test. */
function writeApp(title: string, dir = mkdtempSync(join(root, ".fixtures", "cli-"))): { dir: string; file: string } {
  dirs.push(dir);
  const file = join(dir, "app.ts");
  writeFileSync(file, `import { Interface } from "dais";\nawait new Interface({ fn: (s: string) => s, inputs: ["text"], outputs: ["text"], title: ${JSON.stringify(title)} }).launch();\n`);
  return { dir, file };
}
mkdirSync(join(root, ".fixtures"), { recursive: true });

const titleAt = async (url: string) => ((await (await fetch(`${url}config`)).json()) as { title: string }).title;

describe("dais", { timeout: spawnBudget }, () => {
  it("--help lists the commands; every command has its own --help", async () => {
    const { code, out } = await dais(["--help"]);
    expect(code).toBe(0);
    for (const c of ["run", "demos", "demo", "relay"]) expect(out).toMatch(new RegExp(`^  ${c} `, "m"));
    for (const c of ["run", "demos", "demo", "relay"]) {
      const help = await dais([c, "--help"]);
      expect(help.code).toBe(0);
      expect(help.out).toContain(`Usage: dais ${c}`);
    }
  });

  it("says what is wrong with a bad command or a missing file", async () => {
    expect(await dais(["launch"])).toMatchObject({ code: 2, out: expect.stringContaining('Unknown command "launch"') });
    expect(await dais(["run", "nope.ts"])).toMatchObject({ code: 2, out: expect.stringContaining("No such file: nope.ts") });
    expect(await dais(["run", "x.ts", "--port", "seventy"])).toMatchObject({ code: 2, out: expect.stringContaining("--port needs a number") });
    expect(await dais(["demo", "nope"])).toMatchObject({ code: 2, out: expect.stringContaining('No demo "nope"') });
  });

  it("demos lists every bundled demo with its summary, and the gallery", async () => {
    const { code, out } = await dais(["demos"]);
    expect(code).toBe(0);
    for (const d of demoCatalog()) expect(out).toContain(`${d.name.padEnd(16)}  ${d.summary}`.slice(0, 40));
    expect(out).toMatch(/^gallery /m);
  });

  it("run serves a TypeScript app with no build step", async () => {
    const { file } = writeApp("Run me");
    const { url } = await daisServing(["run", file]);
    expect(await titleAt(url)).toBe("Run me");
  });

  it("run --port on a port in use exits with one line naming --port, not a stack trace", async () => {
    const { file } = writeApp("Busy");
    const taken = createNetServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    try {
      const port = (taken.address() as AddressInfo).port;
      const { code, out } = await dais(["run", file, "--port", String(port)], { DAIS_SERVER_NAME: "127.0.0.1" });
      expect(code).toBe(1);
      expect(out.trim().split("\n")).toEqual([`Port ${port} is already in use. Choose another with --port <n> (dais run), launch({ port }) or DAIS_SERVER_PORT; leave it out to take the first free port from 7860.`]);
    } finally {
      taken.close();
    }
  });

  it("run --mcp serves the app's endpoints as MCP tools at /mcp", async () => {
    const { file } = writeApp("Tools");
    const { url } = await daisServing(["run", file, "--mcp"]);
    const res = await fetch(`${url}mcp`, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('"name":"predict"');
  }, 30_000);

  it("run --reload restarts the app on the same port when its files change", async () => {
    const { dir, file } = writeApp("Before");
    const { url, output } = await daisServing(["run", file, "--reload"]);
    expect(await titleAt(url)).toBe("Before");
    writeApp("After", dir);
    await expect.poll(() => titleAt(url).catch(() => "restarting"), { timeout: spawnBudget, interval: 200 }).toBe("After");
    expect(output()).toContain("app.ts changed, restarting");
  });

  it("demo runs a bundled demo by name", async () => {
    const { url } = await daisServing(["demo", "hello"]);
    expect(await titleAt(url)).toBe("Hello");
  });

  it("demo takes --port before the name as well as after it (pnpm demo --port N), and refuses a bad one", async () => {
    const { url } = await daisServing(["demo", "--port", "0", "hello"]);
    expect(await titleAt(url)).toBe("Hello");
    expect(await dais(["demo", "--port", "eighty", "hello"])).toMatchObject({ code: 2, out: expect.stringContaining('--port needs a number from 0 to 65535, got "eighty"') });
  });
});
