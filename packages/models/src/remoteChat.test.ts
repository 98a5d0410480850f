import type { ChatMessage } from "@dais/core";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RemoteReply, remoteChat } from "./remoteChat.ts";

/**
 * A real OpenAI-compatible server (the chat completions API over server-sent events, as OpenAI,
 * vLLM or llama.cpp speak it). It answers with the user's last message spelled out word by word;
 * "slow" makes it wait for each word until the client asks again (so a Stop arrives mid-reply);
 * "fail" answers with an API error. Dais's own /v1 endpoint does not exist yet, so this stands in.
 */
let server: Server;
let baseUrl: string;
const seen: { url: string; auth: string | undefined; body: Record<string, unknown> }[] = [];
let closedEarly = 0;
let release: (() => void) | undefined;

function answer(req: IncomingMessage, res: ServerResponse, raw: string): void {
  const body = JSON.parse(raw) as { model: string; messages: ChatMessage[]; stream?: boolean; max_tokens?: number };
  seen.push({ url: req.url!, auth: req.headers.authorization, body });
  if (req.headers.authorization !== "Bearer sk-test") {
    res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "Incorrect API key provided.", type: "invalid_request_error" } }));
    return;
  }
  const last = body.messages.at(-1)!.content;
  const words = `You said: ${last}`.split(" ").slice(0, body.max_tokens ?? 100);
  const finish = body.max_tokens !== undefined && body.max_tokens < `You said: ${last}`.split(" ").length ? "length" : "stop";
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: "c1", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: words.join(" ") }, finish_reason: finish }] }));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.on("close", () => {
    if (!res.writableFinished) closedEarly++;
  });
  const chunk = (delta: object, finishReason: string | null = null) =>
    `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
  void (async () => {
    res.write(chunk({ role: "assistant", content: "" }));
    for (const [i, word] of words.entries()) {
      if (last.includes("slow") && i > 0) await new Promise<void>((resolve) => (release = resolve));
      if (res.destroyed) return;
      res.write(chunk({ content: i === 0 ? word : ` ${word}` }));
    }
    res.write(chunk({}, finish));
    res.write(`data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: 7, completion_tokens: words.length, total_tokens: 7 + words.length } })}\n\n`);
    res.end("data: [DONE]\n\n");
  })();
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c));
    req.on("end", () => answer(req, res, raw));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections())));

describe("remoteChat over an OpenAI-compatible API", () => {
  it("sends the conversation (system prompt, history, message) with the options, and returns chatModel's outputs", async () => {
    const replies: RemoteReply[] = [];
    const predict = remoteChat({ model: "tiny-chat", baseUrl, apiKey: "sk-test", system: "Be brief.", maxNewTokens: 50, temperature: 0.5, onReply: (r) => replies.push(r) });
    const history: ChatMessage[] = [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello." },
    ];
    const [chat, next] = await predict("I like pizza.", history);
    expect(chat).toEqual([...history, { role: "user", content: "I like pizza." }, { role: "assistant", content: "You said: I like pizza." }]);
    expect(next).toEqual(chat);
    expect(seen.at(-1)).toMatchObject({
      url: "/v1/chat/completions",
      auth: "Bearer sk-test",
      body: { model: "tiny-chat", stream: true, max_tokens: 50, temperature: 0.5, messages: [{ role: "system", content: "Be brief." }, ...history, { role: "user", content: "I like pizza." }] },
    });
    expect(replies.at(-1)).toMatchObject({ text: "You said: I like pizza.", finish: "stop", stats: { promptTokens: 7, newTokens: 5 } });
  });

  it("streams the growing reply for Interface and ChatInterface, and reports a reply cut by max_tokens", async () => {
    const replies: RemoteReply[] = [];
    const predict = remoteChat({ model: "tiny-chat", baseUrl, apiKey: "sk-test", maxNewTokens: 4, onReply: (r) => replies.push(r) });
    const texts: string[] = [];
    for await (const t of predict.chat("one two three four five", [])) texts.push(t);
    expect(texts).toEqual(["You", "You said:", "You said: one", "You said: one two"]);
    expect(replies.at(-1)!.finish).toBe("length");
    const streamed: ChatMessage[][] = [];
    for await (const [chat] of predict.stream("a b", null)) streamed.push(chat);
    expect(streamed.at(-1)!.at(-1)).toEqual({ role: "assistant", content: "You said: a b" });
    expect(streamed.length).toBeGreaterThan(2);
  });

  it("stops mid-reply on the AbortSignal: the request is closed and the reply so far kept", async () => {
    const replies: RemoteReply[] = [];
    const predict = remoteChat({ model: "tiny-chat", baseUrl, apiKey: "sk-test", onReply: (r) => replies.push(r) });
    const controller = new AbortController();
    const before = closedEarly;
    const texts: string[] = [];
    for await (const t of predict.chat("please be slow today", [], { signal: controller.signal })) {
      texts.push(t);
      if (texts.length === 2) controller.abort();
      release?.();
    }
    expect(texts).toEqual(["You", "You said:"]);
    expect(replies.at(-1)).toMatchObject({ finish: "aborted", text: "You said:" });
    await expect.poll(() => closedEarly).toBe(before + 1);
  });

  it("answers a batch of conversations in Interface's batch form", async () => {
    const predict = remoteChat({ model: "tiny-chat", baseUrl, apiKey: "sk-test" });
    const [chats] = await predict.batch(["x", "y z"], [null, null]);
    expect(chats.map((c) => c.at(-1)!.content)).toEqual(["You said: x", "You said: y z"]);
  });

  it("says what the API answered when it refuses, and refuses unknown or unsupported options up front", async () => {
    const predict = remoteChat({ model: "tiny-chat", baseUrl, apiKey: "wrong" });
    await expect(predict("Hi", null)).rejects.toThrow(`${baseUrl} answered HTTP 401 for the model "tiny-chat": Incorrect API key provided.`);
    expect(() => remoteChat({ model: "m", numBeams: 4 } as never)).toThrow(/Unknown option numBeams for remoteChat/);
    expect(() => remoteChat({ model: "m", temperature: -1 })).toThrow(/temperature must be above 0/);
    // A port nobody listens on any more.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const gone = `http://127.0.0.1:${port}/v1`;
    await expect(remoteChat({ model: "m", baseUrl: gone, apiKey: "k" })("Hi", null)).rejects.toThrow(`Could not reach ${gone} for the model "m" (ECONNREFUSED).`);
  });
});

describe("remoteChat over Hugging Face inference providers", () => {
  it("streams through @huggingface/inference's client to the endpoint (hf-inference provider), with the token", async () => {
    const predict = remoteChat({ model: "tiny-chat", provider: "hf-inference", baseUrl, apiKey: "sk-test", maxNewTokens: 20 });
    const texts: string[] = [];
    for await (const t of predict.chat("Hello there", [])) texts.push(t);
    expect(texts.at(-1)).toBe("You said: Hello there");
    expect(texts.length).toBeGreaterThan(2);
    expect(seen.at(-1)).toMatchObject({ url: "/v1/chat/completions", auth: "Bearer sk-test", body: { stream: true, max_tokens: 20 } });
  });
});
