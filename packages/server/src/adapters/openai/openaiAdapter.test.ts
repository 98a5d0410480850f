import { ChatInterface, type ChatMessage, Interface, type Launchable, type RunContext, slider, userError } from "@dais/core";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { TestServer } from "../../testServer.ts";
import { modelId } from "./openaiAdapter.ts";

// The official openai client, unmodified, against a real Dais server started here.
let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function client(app: Launchable, options: { openai?: boolean } = {}) {
  server = await TestServer.start(app, options);
  return new OpenAI({ baseURL: `${server.url}v1`, apiKey: "not-checked", maxRetries: 0 });
}

const roles = (history: ChatMessage[]) => history.map((m) => `${m.role}:${m.content}`).join("|");

describe("OpenAI-compatible chat", () => {
  it("answers a whole completion, with earlier turns as the history and the system message as the system", async () => {
    const openai = await client(new ChatInterface({ title: "Echo Bot!", system: "configured", fn: (message, history) => `${message} after ${roles(history)}` }));
    const res = await openai.chat.completions.create({
      model: "echo-bot",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
        { role: "user", content: [{ type: "text", text: "how" }, { type: "text", text: " are you" }] },
      ],
    });
    expect(res.object).toBe("chat.completion");
    expect(res.model).toBe("echo-bot");
    expect(res.choices).toHaveLength(1);
    expect(res.choices[0]!.finish_reason).toBe("stop");
    expect(res.choices[0]!.message).toMatchObject({ role: "assistant", content: "how are you after system:be brief|user:hi|assistant:hello" });
    // Without a system message the ChatInterface's own `system` is used.
    const plain = await openai.chat.completions.create({ model: "echo-bot", messages: [{ role: "user", content: "yo" }] });
    expect(plain.choices[0]!.message.content).toBe("yo after system:configured");
  });

  it("streams the reply as deltas of new text ending in [DONE], and lists the model", async () => {
    const openai = await client(
      new ChatInterface({
        title: "Streamer",
        fn: async function* (message) {
          let reply = "";
          for (const w of ["you", " said", ` ${message}`]) yield (reply += w);
        },
      }),
    );
    const stream = await openai.chat.completions.create({ model: "streamer", stream: true, messages: [{ role: "user", content: "cheese" }] });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.every((c) => c.object === "chat.completion.chunk" && c.model === "streamer" && c.id === chunks[0]!.id)).toBe(true);
    expect(chunks[0]!.choices[0]!.delta.role).toBe("assistant");
    const deltas = chunks.map((c) => c.choices[0]!.delta.content ?? "").filter((d) => d !== "");
    // Each delta is only the new text: together they are the reply, and none repeats another.
    expect(deltas.join("")).toBe("you said cheese");
    expect(deltas.length).toBeGreaterThan(1);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe("stop");
    const raw = await fetch(`${server!.url}v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ stream: true, messages: [{ role: "user", content: "x" }] }) });
    expect(raw.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(await raw.text()).toMatch(/"finish_reason":"stop"[^\n]*\n\ndata: \[DONE\]\n\n$/);
    const models = await openai.models.list();
    expect(models.data.map((m) => m.id)).toEqual(["streamer"]);
    expect((await openai.models.retrieve("streamer")).id).toBe("streamer");
  });

  it("gives temperature, top_p, max_tokens, stop and seed to fn as ctx.generation; the page's runs get none", async () => {
    const openai = await client(
      new ChatInterface({
        additionalInputs: [slider({ label: "Creativity", minimum: 0, maximum: 10, value: 3 })],
        fn: (_message, _history, creativity, ctx) => JSON.stringify({ creativity, generation: ctx.generation ?? null }),
      }),
    );
    const res = await openai.chat.completions.create({ model: "dais", messages: [{ role: "user", content: "go" }], temperature: 0.7, top_p: 0.9, max_tokens: 12, stop: ["\n\n"], seed: 42 });
    expect(JSON.parse(res.choices[0]!.message.content!)).toEqual({ creativity: 3, generation: { temperature: 0.7, topP: 0.9, maxTokens: 12, stop: ["\n\n"], seed: 42 } });
    const models = await openai.models.list();
    expect(models.data[0]!.id).toBe("dais");
    const { client: page } = await server!.session();
    await page.run("p1", ["go", 5]);
    expect((page.output() as ChatMessage[]).at(-1)!.content).toBe(JSON.stringify({ creativity: 5, generation: null }));
    // A crafted page frame cannot set them, nor the history the run starts from.
    const app = server!.launched.server.runtime.app;
    const historyId = [...app.components].find(([, c]) => c.kind === "state")![0];
    page.send({ type: "run", id: "p2", fn: 0, data: ["again", 5], generation: { temperature: 1 }, states: { [historyId]: [{ role: "system", content: "crafted" }] } });
    await page.take((f) => f.type === "done" && f.id === "p2");
    const shown = page.output() as ChatMessage[];
    expect(shown.at(-1)!.content).toBe(JSON.stringify({ creativity: 5, generation: null }));
    expect(shown.map((m) => m.content)).not.toContain("crafted");
  });

  it("ends the reply before a stop sequence the fn ignored, and stops the fn there", async () => {
    let stops = 0;
    const openai = await client(
      new ChatInterface({
        fn: async function* (_message: string, _history: ChatMessage[], ctx: RunContext) {
          ctx.signal.addEventListener("abort", () => stops++);
          yield "one\n";
          yield "one\n\ntwo";
          // Waits for ever unless stopped.
          if (!ctx.signal.aborted) await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
        },
      }),
    );
    const whole = await openai.chat.completions.create({ model: "dais", messages: [{ role: "user", content: "go" }], stop: "\n\n" });
    expect(whole.choices[0]!.message.content).toBe("one");
    const stream = await openai.chat.completions.create({ model: "dais", stream: true, messages: [{ role: "user", content: "go" }], stop: ["\n\n"] });
    let text = "";
    for await (const c of stream) text += c.choices[0]?.delta.content ?? "";
    expect(text).toBe("one");
    expect(stops).toBe(2);
  });

  it("stops the fn when the client aborts mid-stream", async () => {
    let aborted!: () => void;
    const stoppedFn = new Promise<void>((resolve) => (aborted = resolve));
    const openai = await client(
      new ChatInterface({
        fn: async function* (_message: string, _history: ChatMessage[], ctx: RunContext) {
          ctx.signal.addEventListener("abort", () => aborted());
          yield "first";
          // Waits for ever unless stopped.
          if (!ctx.signal.aborted) await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
          yield "first and never this";
        },
      }),
    );
    const stream = await openai.chat.completions.create({ model: "dais", stream: true, messages: [{ role: "user", content: "go" }] });
    let text = "";
    for await (const c of stream) {
      text += c.choices[0]?.delta.content ?? "";
      if (text === "first") stream.controller.abort();
    }
    expect(text).toBe("first");
    await stoppedFn; // the fn's signal fired
    // The run's session ended with the request: nothing is left running.
    await expect.poll(() => [...server!.launched.server.runtime.sessions.values()].reduce((n, s) => n + s.runs.size, 0)).toBe(0);
  });

  it("refuses bad requests with OpenAI-shaped errors the client raises as its own", async () => {
    const openai = await client(new ChatInterface({ fn: (message) => message }));
    const bad = async (body: Record<string, unknown>) => {
      try {
        await openai.chat.completions.create(body as never);
      } catch (e) {
        return e;
      }
      throw new Error("the request was accepted");
    };
    const empty = await bad({ model: "dais", messages: [] });
    expect(empty).toBeInstanceOf(OpenAI.BadRequestError);
    expect(empty).toMatchObject({ status: 400, type: "invalid_request_error", param: "messages" });
    expect(await bad({ model: "dais", messages: [{ role: "user", content: "x" }], temperature: 5 })).toMatchObject({ status: 400, param: "temperature" });
    expect(await bad({ model: "dais", messages: [{ role: "user", content: "x" }], max_tokens: 1.5 })).toMatchObject({ status: 400, param: "max_tokens" });
    expect(await bad({ model: "dais", messages: [{ role: "tool", content: "x", tool_call_id: "1" }] })).toMatchObject({ status: 400, param: "messages[0].role" });
    expect(await bad({ model: "dais", messages: [{ role: "user", content: "x" }, { role: "assistant", content: "y" }] })).toMatchObject({ status: 400, param: "messages" });
    expect(await bad({ model: "dais", messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "http://x" } }] }] })).toMatchObject({ status: 400 });
    expect(await bad({ model: "dais", messages: Array.from({ length: 1001 }, () => ({ role: "user", content: "x" })) })).toMatchObject({ status: 400 });
    // Not JSON at all, and too large: still OpenAI's shape.
    const raw = await fetch(`${server!.url}v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
    const huge = await fetch(`${server!.url}v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ messages: [{ role: "user", content: "x".repeat(5 * 1024 * 1024) }] }) });
    expect(huge.status).toBe(413);
    // The fn's own failure reaches the client as a server error, streamed or not.
    await server!.stop();
    const failing = await client(
      new ChatInterface({
        fn: () => {
          throw userError("model fell over");
        },
      }),
    );
    await expect(failing.chat.completions.create({ model: "dais", messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 500, message: expect.stringContaining("model fell over") });
    const stream = await failing.chat.completions.create({ model: "dais", stream: true, messages: [{ role: "user", content: "x" }] });
    await expect((async () => {
      for await (const _ of stream);
    })()).rejects.toThrow(/model fell over/);
  });

  it("is off with openai: false, and absent from apps without a ChatInterface", async () => {
    const off = await client(new ChatInterface({ fn: (m) => m }), { openai: false });
    await expect(off.models.list()).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await server!.stop();
    const iface = await client(new Interface({ fn: (s: string) => s, inputs: ["text"], outputs: ["text"] }));
    await expect(iface.chat.completions.create({ model: "dais", messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("behind a share link, takes the link's token as its API key; without it, 401", async () => {
    server = await TestServer.start(new ChatInterface({ fn: (m) => `you said ${m}` }), { share: true, host: "127.0.0.1" });
    const link = new URL(server.url);
    const token = link.searchParams.get("token") ?? "";
    const base = `${link.origin}/v1`;
    const ok = new OpenAI({ baseURL: base, apiKey: token, maxRetries: 0 });
    const reply = await ok.chat.completions.create({ model: "dais", messages: [{ role: "user", content: "hi" }] });
    expect(reply.choices[0]?.message.content).toBe("you said hi");
    const wrong = new OpenAI({ baseURL: base, apiKey: "not-the-token", maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it("names the model after the title", () => {
    expect(modelId("Echo Bot!")).toBe("echo-bot");
    expect(modelId("")).toBe("dais");
    expect(modelId("★★")).toBe("dais");
  });
});
