import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { ChatMessage } from "@dais/core";
import { type BlenderbotPredict, blenderbot, type ChatModelPredict, chatModel, type DialogptPredict, dialogpt } from "@dais/models";
import { writeTinyBlenderbot, writeTinyChatModel, writeTinyDialogpt } from "@dais/models/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnTerminal, type Terminal } from "./spawnTerminal.ts";

// The real CLI, as the `dais` bin runs it, in a pseudo-terminal, on generated tiny models; every
// reply on screen is checked against the same predict function called directly.
const bin = fileURLToPath(new URL("../../bin/dais.mjs", import.meta.url));
// Each test starts CLI processes that load models: seconds each on a busy machine, so these
// tests get a budget of their own.
const spawnBudget = 180_000;
let root: string;
const dirs = { dialogpt: "", chat: "", noTemplate: "", blenderbot: "", endless: "" };
let dg: DialogptPredict;
let instruct: ChatModelPredict;
let bb: BlenderbotPredict;
let endless: DialogptPredict;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "dais-chat-command-"));
  for (const name of Object.keys(dirs) as (keyof typeof dirs)[]) dirs[name] = join(root, name);
  writeTinyDialogpt(dirs.dialogpt);
  writeTinyChatModel(dirs.chat);
  writeTinyChatModel(dirs.noTemplate, { chatTemplate: null });
  writeTinyBlenderbot(dirs.blenderbot);
  // Never ends a reply by itself (end-of-text pushed far down) and has room for 3000 tokens.
  writeTinyDialogpt(dirs.endless, { eosBias: -30, positions: 4096 });
  // The options the CLI runs below get from their key=value arguments.
  [dg, instruct, bb, endless] = await Promise.all([
    dialogpt({ model: dirs.dialogpt, maxNewTokens: 12 }),
    chatModel({ model: dirs.chat, doSample: false, maxNewTokens: 10 }),
    blenderbot({ model: dirs.blenderbot, maxNewTokens: 8 }),
    dialogpt({ model: dirs.endless, maxNewTokens: 3000 }),
  ]);
}, spawnBudget);

afterAll(async () => {
  // A test that failed half way leaves its chat waiting at the prompt.
  for (const term of terminals) term.kill();
  await Promise.all([dg, instruct, bb, endless].map((p) => p?.dispose()));
  rmSync(root, { recursive: true, force: true });
});

const terminals: Terminal[] = [];
const chat = (...args: string[]) => {
  const term = spawnTerminal([process.execPath, bin, "chat", ...args]);
  terminals.push(term);
  return term;
};
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const opened = async (term: Terminal) => void (await term.expect("Type a message, /help for commands, /exit or Ctrl+D to leave.\n> ", spawnBudget));

/** Sends a message and reads the reply shown under it, up to the next prompt. */
async function turn(term: Terminal, message: string): Promise<string> {
  term.type(`${message}\r`);
  const [, reply] = await term.expect(new RegExp(`${escape(message)}\\n(.*)\\n> `));
  return reply!;
}

/** What the predict function answers when called directly; with `length`, stopped once its reply is that long. */
async function direct(predict: { chat: DialogptPredict["chat"] }, message: string, history: ChatMessage[], length = Infinity): Promise<string> {
  let reply = "";
  for await (const text of predict.chat(message, history)) {
    reply = text;
    // Leaving the stream stops generation.
    if (reply.length >= length) break;
  }
  return reply;
}

const user = (content: string): ChatMessage => ({ role: "user", content });
const assistant = (content: string): ChatMessage => ({ role: "assistant", content });

// Each test runs its own CLI processes: they run side by side.
describe.concurrent("dais chat in a terminal", () => {
  it("streams DialoGPT's replies, keeps the conversation, and /clear starts a new one", async () => {
    const term = chat(dirs.dialogpt, "max_new_tokens=12");
    await opened(term);
    const first = await turn(term, "Hello!");
    expect(first.length).toBeGreaterThan(0);
    expect(first).toBe(await direct(dg, "Hello!", []));

    const second = await turn(term, "What do you like?");
    expect(second).toBe(await direct(dg, "What do you like?", [user("Hello!"), assistant(first)]));

    term.type("/clear\r");
    await term.expect("New conversation.\n> ");
    const fresh = await turn(term, "What do you like?");
    expect(fresh).toBe(await direct(dg, "What do you like?", []));
    expect(fresh).not.toBe(second); // the history did reach the model before /clear

    term.type("/help\r");
    const [help] = await term.expect(/Commands:\n[^]*\n> /);
    for (const command of ["/clear", "/system <text>", "/help", "/exit", "Ctrl+D", "Ctrl+C"]) expect(help).toContain(command);
    term.type("/system Be brief.\r");
    await term.expect("This model (dialogpt) takes no system prompt; /system is for instruct models.\n> ");
    term.type("/nope\r");
    await term.expect("Unknown command /nope; /help lists the commands.\n> ");

    term.type("/exit\r");
    expect(await term.exited).toBe(0);
  }, spawnBudget);

  it("gives an instruct model the system prompt of system=..., and /system changes it", async () => {
    const term = chat(dirs.chat, "do_sample=False", "max_new_tokens=10", "system=Be brief.");
    await opened(term);
    const brief = [{ role: "system", content: "Be brief." }] as const satisfies ChatMessage[];
    const first = await turn(term, "What do you like?");
    expect(first.length).toBeGreaterThan(0);
    expect(first).toBe(await direct(instruct, "What do you like?", [...brief]));

    term.type("/system\r");
    await term.expect("System prompt: Be brief.\n> ");
    term.type("/system You are a pirate.\r");
    await term.expect("System prompt set: You are a pirate.\n> ");
    const history = [user("What do you like?"), assistant(first)];
    const pirate = await turn(term, "Where do you live?");
    expect(pirate.length).toBeGreaterThan(0);
    expect(pirate).toBe(await direct(instruct, "Where do you live?", [{ role: "system", content: "You are a pirate." }, ...history]));
    expect(pirate).not.toBe(await direct(instruct, "Where do you live?", [...brief, ...history]));

    term.type("\x04"); // Ctrl+D
    expect(await term.exited).toBe(0);
  }, spawnBudget);

  it("stops the reply being written on Ctrl+C, keeps what was said, and leaves on Ctrl+C at the prompt", async () => {
    // A whole reply is 3000 tokens of at least one character each: seconds of generation.
    const term = chat(dirs.endless, "max_new_tokens=3000");
    await opened(term);
    const stopReply = async (message: string) => {
      term.type(`${message}\r`);
      const [, start] = await term.expect(new RegExp(`${escape(message)}\\n(.{20})`));
      term.type("\x03"); // Ctrl+C
      const [, rest] = await term.expect(/(.*)\n\(stopped\)\n> /);
      return start! + rest!;
    };

    const first = await stopReply("Hello!");
    expect(await direct(endless, "Hello!", [], first.length)).toBe(first);
    // The stopped reply stays in the conversation the model sees next.
    const second = await stopReply("Tell me more.");
    expect(await direct(endless, "Tell me more.", [user("Hello!"), assistant(first)], second.length)).toBe(second);

    term.type("\x03");
    expect(await term.exited).toBe(130);
  }, spawnBudget);
});

describe.concurrent("dais chat without a terminal", () => {
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    promisify(execFile)(process.execPath, [bin, "chat", ...args], { env: { ...process.env, ...env } }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  const messageOf = (p: Promise<unknown>) => p.then(() => "", (e: Error) => e.message);

  it("prints the models package's message for a model it cannot have, exit code 1, no stack trace", async () => {
    const missing = join(root, "no-such-model");
    const cache = join(root, "cache");
    const cases = [
      { args: [missing], env: {}, message: await messageOf(chatModel({ model: missing })) },
      { args: ["Xenova/DialoGPT-small"], env: { DAIS_OFFLINE: "1", DAIS_MODELS_CACHE: cache }, message: await messageOf(dialogpt({ model: "Xenova/DialoGPT-small", cacheDir: cache, offline: true })) },
      { args: [dirs.noTemplate], env: {}, message: await messageOf(chatModel({ model: dirs.noTemplate })) },
    ];
    const results = await Promise.all(cases.map(({ args, env }) => run(args, env)));
    cases.forEach(({ args, message }, i) => {
      expect(message).toMatch(/is not available|has no chat template/);
      expect(results[i]).toEqual({ code: 1, stdout: "", stderr: `Loading ${args[0]}…\n${message}\n` });
    });
  }, spawnBudget);

  it("rejects an unknown key, listing the known keys, and a value the model cannot take", async () => {
    const [unknown, long] = await Promise.all([
      run([dirs.dialogpt, "max_tokens=10"]),
      // A value only the loaded model can judge: the reply must fit its window.
      run([dirs.dialogpt, "max_new_tokens=5000"]),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown key "max_tokens". Known keys: max_new_tokens, do_sample, temperature, top_k, top_p');
    expect(long).toMatchObject({ code: 2, stderr: expect.stringContaining("must be below the model's window of 1024 tokens") });
  }, spawnBudget);

  it("chats over a pipe too (here BlenderBot, picked by config.json's model_type), and --help describes it all", async () => {
    const child = execFile(process.execPath, [bin, "chat", dirs.blenderbot, "maxNewTokens=8"]);
    let stdout = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d));
    child.stdin!.end("Hello!\nWhat do you like?\n");
    const code = await new Promise((resolve) => child.once("exit", resolve));
    const first = await direct(bb, "Hello!", []);
    const second = await direct(bb, "What do you like?", [user("Hello!"), assistant(first)]);
    expect(first.length).toBeGreaterThan(0);
    expect(stdout).toBe(`Type a message, /help for commands, /exit or Ctrl+D to leave.\n> ${first}\n> ${second}\n> \n`);
    expect(code).toBe(0);

    const { stdout: help } = await promisify(execFile)(process.execPath, [bin, "chat", "--help"]);
    for (const text of ["dais chat <model> [key=value ...]", "max_new_tokens=<n>", "do_sample=True|False", "top_p=<p>", "dtype=fp32|q8|q4", 'system="<text>"', "/clear", "/system <text>", "/exit", "Ctrl+C"])
      expect(help).toContain(text);
  }, spawnBudget);
});
