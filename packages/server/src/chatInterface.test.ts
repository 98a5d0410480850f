import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ChatMessage, ChatInterface, type FeedbackEvent, type Launchable, slider, userError } from "@dais/core";
import { afterEach, describe, expect, it } from "vitest";
import { TestRuntime } from "./testRuntime.ts";

// ChatInterface through its runtime, no socket: fn 0 sends, fn 1 retries, fn 2 undoes (see its config).
let server: TestRuntime | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function open(app: Launchable) {
  server = await TestRuntime.start(app);
  return (await server.session()).client;
}

const roles = (v: unknown) => (v as ChatMessage[]).map((m) => `${m.role}:${m.content}`);

describe("ChatInterface", () => {
  it("streams the reply, clears the box, and keeps the history as role/content messages", async () => {
    const seen: ChatMessage[][] = [];
    const client = await open(
      new ChatInterface({
        fn: async function* (message, history) {
          seen.push(history);
          let reply = "";
          for (const w of ["you", " said", ` ${message}`]) yield (reply += w);
        },
      }),
    );
    await client.run("a", ["hi"]);
    expect(client.frames.filter((f) => f.type === "partial").map((f) => (f as { ops: Record<string, unknown> }).ops[0])).toEqual([
      [["add", [], { role: "user", content: "hi" }]],
      [["add", [], { role: "assistant", content: "you" }]],
      [["append", [1, "content"], " said"]],
      [["append", [1, "content"], " hi"]],
    ]);
    expect(roles(client.values[0])).toEqual(["user:hi", "assistant:you said hi"]);
    expect(client.values[1]).toBe("");
    await client.run("b", ["again"]);
    expect(seen[1]).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "you said hi" },
    ]);
  });

  it("shows the user's message before the reply starts", async () => {
    const client = await open(new ChatInterface({ fn: async (m) => m.toUpperCase() }));
    client.send({ type: "run", id: "a", fn: 0, data: ["hey"] });
    const first = await client.next("partial");
    expect(first.ops[0]).toEqual([["add", [], { role: "user", content: "hey" }]]);
    await client.next("done");
    expect(roles(client.values[0])).toEqual(["user:hey", "assistant:HEY"]);
  });

  it("passes the system prompt and additional inputs to fn", async () => {
    let got: unknown[] = [];
    const client = await open(
      new ChatInterface({
        fn: (message, history, temperature) => {
          got = [message, history, temperature];
          return "ok";
        },
        system: "You are terse.",
        additionalInputs: [slider({ label: "Temperature", minimum: 0, maximum: 2, step: 0.1, value: 1 })],
      })
    );
    await client.run("a", ["hi", 0.5]);
    expect(got).toEqual(["hi", [{ role: "system", content: "You are terse." }], 0.5]);
    expect(roles(client.values[0])).toEqual(["user:hi", "assistant:ok"]);
  });

  it("Retry answers the last message again; Undo removes it and gives the message back", async () => {
    let n = 0;
    const client = await open(new ChatInterface({ fn: (m) => `${m} #${++n}` }));
    await client.run("a", ["one"]);
    await client.run("b", ["two"]);
    expect(roles(client.values[0])).toEqual(["user:one", "assistant:one #1", "user:two", "assistant:two #2"]);
    await client.run("r", [], 1);
    expect(roles(client.values[0])).toEqual(["user:one", "assistant:one #1", "user:two", "assistant:two #3"]);
    await client.run("u", ["a draft"], 2);
    expect(roles(client.values[0])).toEqual(["user:one", "assistant:one #1"]);
    expect(client.values[1]).toBe("two");
    await client.run("c", ["three"]);
    expect(roles(client.values[0])).toEqual(["user:one", "assistant:one #1", "user:three", "assistant:three #4"]);
  });

  it("says why for an empty message, or Retry/Undo with nothing to act on", async () => {
    const client = await open(new ChatInterface({ fn: () => "x" }));
    expect(await client.run("a", ["  "])).toMatchObject({ type: "error", code: "invalid_input", message: "Type a message first." });
    expect(await client.run("b", [], 1)).toMatchObject({ message: "There is no message to retry yet." });
    expect(await client.run("c", [""], 2)).toMatchObject({ message: "There is nothing to undo yet." });
  });

  it("an error mid-stream puts back the chat as it was and keeps the history", async () => {
    const client = await open(
      new ChatInterface({
        fn: async function* (message) {
          yield "part";
          if (message === "fail") throw userError("model crashed");
          yield "full";
        },
      })
    );
    await client.run("a", ["ok"]);
    expect(await client.run("b", ["fail"])).toMatchObject({ type: "error", message: "model crashed" });
    expect(roles(client.values[0])).toEqual(["user:ok", "assistant:full"]);
    await client.run("c", ["next"]);
    expect(roles(client.values[0])).toEqual(["user:ok", "assistant:full", "user:next", "assistant:full"]);
  });

  it("logs feedback on bot messages to flagged/feedback.jsonl by default", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dais-flagged-"));
    const client = await open(new ChatInterface({ fn: (m) => `echo ${m}`, flaggingDir: dir }));
    await client.run("a", ["hi"]);
    client.send({ type: "feedback", component: 0, index: 1, value: "like" });
    client.send({ type: "feedback", component: 0, index: 1, value: "flag", comment: "wrong" });
    client.send({ type: "feedback", component: 0, index: 0, value: "like" });
    expect(await client.next("error")).toMatchObject({ code: "bad_frame", message: "Feedback must name a bot message in a chatbot." });
    const read = () => (existsSync(join(dir, "feedback.jsonl")) ? readFileSync(join(dir, "feedback.jsonl"), "utf8").trim().split("\n") : []);
    await expect.poll(read).toHaveLength(2);
    const lines = read().map((l) => JSON.parse(l) as FeedbackEvent);
    expect(lines.map((l) => [l.value, l.message.content, l.comment])).toEqual([
      ["like", "echo hi", undefined],
      ["flag", "echo hi", "wrong"],
    ]);
    expect(lines[0]!.history).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "echo hi" },
    ]);
  });

  it("hands feedback to onFeedback when given", async () => {
    const events: FeedbackEvent[] = [];
    const client = await open(new ChatInterface({ fn: () => "answer", onFeedback: (e) => void events.push(e) }));
    await client.run("a", ["q"]);
    client.send({ type: "feedback", component: 0, index: 1, value: "dislike" });
    await expect.poll(() => events).toHaveLength(1);
    expect(events).toMatchObject([{ value: "dislike", index: 1, message: { role: "assistant", content: "answer" } }]);
  });
});
