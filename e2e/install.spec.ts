import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import semver from "semver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./browser.ts";
import { installedPackages, packAll, repoRoot, run, type Serving, serve } from "./userProject.ts";

// Dais as a user gets it: every package packed, the tarballs installed with plain npm (install
// scripts run) into projects outside the workspace, an app type-checked, run with `npx dais run`
// and used in Chromium; the same for a project made by create-dais from its tarball.

const work = mkdtempSync(join(tmpdir(), "dais-install-"));
const packs = join(work, "packs");
let tarballs: Map<string, string>;
let browser: Browser;
const running: Serving[] = [];

/** The tarballs an app without a model installs: dais and what it depends on. */
const lean = () => ["dais", "@dais/core", "@dais/server", "@dais/ui", "@dais/relay"].map((name) => tarballs.get(name) as string);
const npm = (args: string[], cwd: string) => run("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], cwd);

const npmInitApp = join(work, "npm-init-app");
const createdApp = join(work, "my-demo");
let created = "";

beforeAll(async () => {
  mkdirSync(packs);
  [tarballs, browser] = await Promise.all([packAll(packs), launchBrowser()]);
  // Both projects install at once: npm spends most of its time waiting on the registry.
  await Promise.all([
    (async () => {
      mkdirSync(npmInitApp);
      await npm(["init", "-y"], npmInitApp);
      await npm(["install", ...lean()], npmInitApp);
    })(),
    (async () => {
      created = await run("npm", ["exec", "--yes", `--package=${tarballs.get("create-dais")}`, "--", "create-dais", "my-demo"], work);
      // The registry has no Dais yet: the tarballs stand in for `dais@^0.1.0`.
      await npm(["install", ...lean()], createdApp);
    })(),
  ]);
}, 300_000);

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

async function start(command: string, args: string[], cwd: string): Promise<Serving> {
  const serving = await serve(command, args, cwd);
  running.push(serving);
  return serving;
}

/** Opens the chat page, sends `message` and resolves to the bot's answer. */
async function chat(url: string, message: string): Promise<string> {
  const page: Page = await browser.newPage();
  try {
    await page.goto(url);
    await page.getByLabel("Message").fill(message);
    await page.getByLabel("Message").press("Enter");
    const answer = page.locator('[role="log"] .message.bot[data-index="1"] .markdown');
    await answer.waitFor();
    return (await answer.textContent())?.trim() ?? "";
  } finally {
    await page.close();
  }
}

const chatbotApp = (transform: string) => `import { Interface } from "dais";

type Pair = [string, string];
function predict(message: string, history: Pair[] | null) {
  const past = history ?? [];
  const next: Pair[] = [...past, [message, ${transform}]];
  return [next, next];
}

await new Interface({ fn: predict, inputs: ["text", "state"], outputs: ["chatbot", "state"] }).launch();
`;

describe("every package", () => {
  it("packs to a tarball with README, LICENSE, built ESM with types and source maps, and no tests or workspace links", () => {
    for (const [name, file] of tarballs) {
      const files = execFileSync("tar", ["tzf", file], { encoding: "utf8" }).split("\n").filter(Boolean);
      expect(files, name).toContain("package/README.md");
      expect(files, name).toContain("package/LICENSE");
      expect(files.filter((f) => /\.test(-d)?\.tsx?$|\.spec\.ts$|\/src\//.test(f)), name).toEqual([]);
      const manifest = JSON.parse(execFileSync("tar", ["xzf", file, "-O", "package/package.json"], { encoding: "utf8" }));
      expect(JSON.stringify(manifest), name).not.toContain("workspace:");
      expect(manifest.engines.node, name).toBe(">=20.19");
      const entry = manifest.exports?.["."];
      if (entry) {
        expect(files, name).toContain(`package/${entry.types.slice(2)}`);
        expect(files, name).toContain(`package/${entry.default.slice(2)}`);
        expect(files, name).toContain(`package/${entry.default.slice(2)}.map`);
      }
    }
  });
});

describe("an app in a project made by npm init", () => {
  const project = npmInitApp;

  it("installs dais with plain npm and no model runtime, every dependency on the Node the README promises", () => {
    const installed = installedPackages(join(project, "node_modules"));
    const names = installed.map((p) => p.name);
    expect(names).toContain("dais");
    for (const heavy of ["@dais/models", "onnxruntime-node", "onnxruntime-web", "@huggingface/transformers"]) expect(names).not.toContain(heavy);

    const promised = /Node (\d+\.\d+)\+/.exec(readFileSync(join(repoRoot, "README.md"), "utf8"))?.[1];
    expect(promised).toBe("20.19");
    const tooNew = installed.filter((p) => p.engines?.node && !semver.subset(`>=${promised}.0`, p.engines.node)).map((p) => `${p.name}@${p.version} wants Node ${p.engines?.node}`);
    expect(tooNew).toEqual([]);
  });

  it("runs app.ts with top-level await under npx dais run (package type commonjs), and reloads it on a change", async () => {
    expect(JSON.parse(readFileSync(join(project, "package.json"), "utf8")).type ?? "commonjs").toBe("commonjs");
    writeFileSync(join(project, "app.ts"), chatbotApp(`message.split("").reverse().join("")`));
    const app = await start("npx", ["dais", "run", "app.ts", "--reload"], project);
    expect(await chat(app.url, "hello there")).toBe("ereht olleh");

    const restarted = app.waitFor(/Running on (http:\/\/\S+)/);
    writeFileSync(join(project, "app.ts"), chatbotApp("message.toUpperCase()"));
    expect(`${await restarted}/`).toBe(app.url);
    expect(await chat(app.url, "hello there")).toBe("HELLO THERE");
    await app.stop();
  }, 120_000);

  it("runs a JavaScript app with plain node, required from CommonJS", async () => {
    writeFileSync(
      join(project, "app.js"),
      `const { Interface } = require("dais");
new Interface({ fn: (message, history) => { const next = [...(history ?? []), [message, message.length + " letters"]]; return [next, next]; }, inputs: ["text", "state"], outputs: ["chatbot", "state"] }).launch();
`,
    );
    const app = await start("node", ["app.js"], project);
    expect(await chat(app.url, "four")).toBe("4 letters");
    await app.stop();
  }, 120_000);

  it("lists the bundled demos from any folder, and a model demo says what to install", async () => {
    expect(await run("npx", ["dais", "demos"], project)).toMatch(/^echo-chatbot\s+The default demo/m);
    const demo = await start("npx", ["dais", "demo", "echo-chatbot"], project);
    expect(await chat(demo.url, "abc")).toBe("cba");
    await demo.stop();
    await expect(run("npx", ["dais", "demo", "dialogpt"], project)).rejects.toThrow(/The dialogpt demo needs @dais\/models, which is not installed[\s\S]*npm install @dais\/models/);
    await expect(run("npx", ["dais", "chat", "Xenova/DialoGPT-small"], project)).rejects.toThrow(/dais chat needs @dais\/models[\s\S]*npm install @dais\/models/);
  }, 120_000);
});

describe("a project made by npm create dais", () => {
  const project = createdApp;

  it("is scaffolded from the create-dais tarball, with the next steps printed", () => {
    expect(created).toContain("cd my-demo\n  npm install\n  npm run dev");
    for (const file of ["app.ts", "package.json", "tsconfig.json", ".gitignore", "README.md"]) expect(existsSync(join(project, file)), file).toBe(true);
  });

  it("type-checks the app and the README's examples (strict, nodenext, skipLibCheck false), and fails a wrong one", async () => {
    const tsconfig = readFileSync(join(project, "tsconfig.json"), "utf8");
    expect(tsconfig).toMatch(/"strict": true[\s\S]*/);
    expect(tsconfig).toMatch(/"skipLibCheck": false/);
    writeFileSync(join(project, "examples.ts"), readmeExamples);
    // One run for both: the app and the examples compile, and the wrong app is the only error.
    writeFileSync(join(project, "wrong.ts"), `import { Interface } from "dais";\nnew Interface({ fn: () => [1, 2], inputs: [], outputs: ["chatbot", "state"] });\n`);
    const errors = await run("npx", ["tsc"], project).then(
      () => "",
      (e: Error) => e.message,
    );
    expect(errors.split("\n").filter((line) => /error TS/.test(line)).map((line) => line.split("(")[0])).toEqual(["wrong.ts"]);
    rmSync(join(project, "wrong.ts"));
  }, 120_000);

  it("serves the chatbot with npm run dev", async () => {
    const app = await start("npm", ["run", "dev"], project);
    expect(await chat(app.url, "dais")).toBe("siad");
    await app.stop();
  }, 120_000);
});

/** The README's examples, completed where the README elides a body. */
const readmeExamples = `import { ChatInterface, Interface, chatbot, slider, state, textbox, type RunContext } from "dais";

type Pair = [string, string];
export const echo = new Interface({
  fn: (message: string, history: Pair[] | null) => {
    const next: Pair[] = [...(history ?? []), [message, message]];
    return [next, next];
  },
  inputs: ["text", "state"],
  outputs: ["chatbot", "state"],
});

export const configured = new Interface({
  fn: (message: string, temperature: number, history: string[]): [Pair[], string[]] => [[[message, String(temperature)]], [...history, message]],
  inputs: [textbox({ label: "Message", lines: 3 }), slider({ minimum: 0, maximum: 2, step: 0.1 }), state<string[]>([])],
  outputs: [chatbot({ height: 400 }), state<string[]>([])],
});

export const bot = new ChatInterface({
  fn: async function* (message: string, _history, temperature: number, { signal }: RunContext) {
    let reply = "";
    for (const token of message.split(" ")) {
      if (signal.aborted) return;
      yield (reply += token + " " + temperature);
    }
  },
  title: "My bot",
  system: "You are brief.",
  examples: ["Hello!", "Explain monads"],
  additionalInputs: [slider({ label: "Temperature", minimum: 0, maximum: 2, value: 0.7 })],
});
`;
