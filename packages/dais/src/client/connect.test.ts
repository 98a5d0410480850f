import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChatInterface, Interface, state } from "@dais/core";
import { type Launched, launch } from "@dais/server";
import { afterEach, describe, expect, it } from "vitest";
import { connect } from "./connect.ts";

const assets = mkdtempSync(join(tmpdir(), "dais-client-"));
writeFileSync(join(assets, "index.html"), "<!doctype html><title>ui</title>");

let server: Launched | undefined;
afterEach(async () => {
  await server?.close(0);
  server = undefined;
});

const remembering = new Interface({
  fn: (word: string, times: number, seen: string[]) => {
    const next = [...seen, word.repeat(times)];
    return [next.join(","), next.length, next] as const;
  },
  inputs: ["text", "number", state<string[]>([])],
  outputs: ["text", "number", state<string[]>([])],
});

const chat = new ChatInterface({
  fn: async function* (message: string, history) {
    let reply = `(${history.length})`;
    for (const w of [" you", " said", ` ${message}`]) yield (reply += w);
  },
});

describe("connect<typeof app>(url)", () => {
  it("calls an Interface with its typed values; the session keeps its states between calls", async () => {
    server = await launch(remembering, { assets, port: 0, quiet: true });
    const client = await connect<typeof remembering>(server.url);
    const first: [string, number | null] = await client.predict("/predict", "ab", 2);
    expect(first).toEqual(["abab", 1]);
    expect(await client.predict("/predict", "c", 1)).toEqual(["abab,c", 2]);
    const typeErrors = () => {
      // @ts-expect-error -- the second parameter is a number
      void client.predict("/predict", "ab", "2");
      // @ts-expect-error -- the app has no such endpoint
      void client.predict("/chat", "hi");
      // @ts-expect-error -- a value is missing
      void client.predict("/predict", "ab");
    };
    expect(typeof typeErrors).toBe("function");
  });

  it("streams a ChatInterface's reply as it grows, and throws a refusal's reason", async () => {
    server = await launch(chat, { assets, port: 0, quiet: true });
    const client = await connect<typeof chat>(server.url);
    const replies: string[] = [];
    for await (const [reply] of client.stream("/chat", "hi")) replies.push(reply);
    expect(replies.at(-1)).toBe("(0) you said hi");
    expect(replies.length).toBeGreaterThan(1);
    expect(await client.predict("/chat", "again")).toEqual(["(2) you said again"]);
    const loose = await connect(server.url);
    await expect(loose.predict("/nope", 1)).rejects.toThrow(/no endpoint/);
    const typeErrors = () => {
      // @ts-expect-error -- the message is text
      void client.predict("/chat", 42);
    };
    expect(typeof typeErrors).toBe("function");
  });
});
