import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Blocks, ChatInterface, Interface, state } from "@dais/core";
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

const counter = new Blocks((ui) => {
  const word = ui.textbox({ label: "Word" });
  const times = ui.number({ label: "Times" });
  const said = ui.state<string[]>([]);
  const out = ui.textbox();
  const total = ui.number();
  const go = ui.button("Go");
  // An arrow fn has no name of its own: the key it is returned under names its endpoint.
  const repeat = go.click({ fn: (w: string, k: number, s: string[]): [string, number, string[]] => [w.repeat(k), s.length + 1, [...s, w]], inputs: [word, times, said], outputs: [out, total, said] });
  const history = word.submit({ fn: (s: string[]) => s.join(" "), inputs: [said], outputs: [out], apiName: "said" });
  word.change({ fn: (w: string) => w, inputs: [word], outputs: [out], apiName: false });
  return { repeat, history };
});

describe("connect<typeof app>(url)", () => {
  it("calls a Blocks app's two named events with their typed values, in one session", async () => {
    server = await launch(counter, { assets, port: 0, quiet: true });
    const client = await connect<typeof counter>(server.url);
    const first: [string, number | null] = await client.predict("/repeat", "ab", 2);
    expect(first).toEqual(["abab", 1]);
    expect(await client.predict("/repeat", "c", 3)).toEqual(["ccc", 2]);
    const said: [string] = await client.predict("/said");
    expect(said).toEqual(["ab c"]);
    // A second client has a session of its own.
    const other = await connect<typeof counter>(server.url);
    expect(await other.predict("/said")).toEqual([""]);
    const typeErrors = () => {
      // @ts-expect-error -- Times is a number
      void client.predict("/repeat", "ab", "2");
      // @ts-expect-error -- apiName: false hides it
      void client.predict("/fn_2", "x");
    };
    expect(typeof typeErrors).toBe("function");
    const loose = await connect(server.url);
    await expect(loose.predict("/fn_2", "x")).rejects.toThrow(/no endpoint/);
  });


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

  it("logs in to an app launched with auth, and takes a shared app's token; without them it is refused", async () => {
    server = await launch(remembering, { assets, port: 0, quiet: true, auth: ["ada", "lovelace"] });
    await expect(connect(server.url)).rejects.toThrow(/HTTP 401/);
    await expect(connect(server.url, { auth: ["ada", "babbage"] })).rejects.toThrow("Wrong username or password.");
    const client = await connect<typeof remembering>(server.url, { auth: ["ada", "lovelace"] });
    expect(await client.predict("/predict", "x", 2)).toEqual(["xx", 1]);
    await server.close(0);
    server = await launch(remembering, { assets, port: 0, quiet: true, share: true, host: "127.0.0.1" });
    const link = new URL(server.url);
    const origin = `${link.origin}/`;
    await expect(connect(origin)).rejects.toThrow(/HTTP 401/);
    const shared = await connect<typeof remembering>(origin, { token: link.searchParams.get("token") as string });
    expect(await shared.predict("/predict", "y", 1)).toEqual(["y", 1]);
  });
});
