import { randomUUID } from "node:crypto";
import { DaisError } from "@dais/core";
import express, { type Request, type Response } from "express";
import type { HttpAdapter } from "../HttpAdapter.ts";
import { ChatTarget } from "./ChatTarget.ts";
import { chunk, completion, type CompletionMeta } from "./completionChunks.ts";
import { fromRunError, OpenAIError } from "./OpenAIError.ts";
import { parseChatRequest } from "./parseChatRequest.ts";

export interface OpenAIAdapterOptions {
  /** Largest request body, in bytes. Default 4 MiB. */
  maxBodyBytes?: number;
}

/** The model id a ChatInterface is listed under: its title as a slug, else "dais". */
export function modelId(title: string): string {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64).replace(/-+$/, "");
  return slug || "dais";
}

/**
 * OpenAI's chat API for an app with a ChatInterface: `POST v1/chat/completions` (streamed as
 * `chat.completion.chunk` server-sent events ending in `[DONE]`, or whole) and `GET v1/models`,
 * so OpenAI's clients and chat UIs (Open WebUI, chat-ui) can use the app. Apps without a
 * ChatInterface get no routes. A client that goes away stops the run.
 */
export function openaiAdapter(options: OpenAIAdapterOptions = {}): HttpAdapter {
  return {
    name: "openai",
    routes(router, { app, config, runtime }) {
      const target = ChatTarget.find(app, config);
      if (!target) return;
      const model = modelId(config.title);
      const created = Math.floor(Date.now() / 1000);
      const listed = { id: model, object: "model" as const, created, owned_by: "dais" };
      const json = express.json({ limit: options.maxBodyBytes ?? 4 * 1024 * 1024 });

      router.get("/v1/models", (_req, res) => {
        res.json({ object: "list", data: [listed] });
      });
      router.get("/v1/models/:model", (req, res) => {
        if (req.params.model === model) res.json(listed);
        else new OpenAIError(404, `The model "${req.params.model}" does not exist; this app serves "${model}".`, "invalid_request_error", "model", "model_not_found").send(res);
      });
      router.post("/v1/chat/completions", (req, res) => {
        json(req, res, (err?: unknown) => {
          if (err) {
            const tooLarge = (err as { status?: number }).status === 413;
            return new OpenAIError(tooLarge ? 413 : 400, tooLarge ? "The request body is too large." : "The request body is not valid JSON.").send(res);
          }
          complete(req, res).catch((e: unknown) => {
            console.error("[dais] an OpenAI request failed:", e);
            if (!res.headersSent) new OpenAIError(500, "The server failed.", "server_error").send(res);
            else res.end();
          });
        });
      });

      async function complete(req: Request, res: Response): Promise<void> {
        let request;
        try {
          request = parseChatRequest(req.body);
        } catch (e) {
          if (e instanceof OpenAIError) return e.send(res);
          throw e;
        }
        const meta: CompletionMeta = { id: `chatcmpl-${randomUUID()}`, model, created: Math.floor(Date.now() / 1000) };
        // The client going away (a closed stream, an aborted request) stops the run.
        const gone = new AbortController();
        res.on("close", () => {
          if (!res.writableFinished) gone.abort();
        });
        if (!request.stream) {
          try {
            res.json(completion(meta, await target!.reply(runtime, request, gone.signal)));
          } catch (e) {
            if (!(e instanceof DaisError)) throw e;
            if (!gone.signal.aborted) fromRunError(e.code, e.message).send(res);
          }
          return;
        }
        // no-transform keeps the compression middleware from holding events back.
        res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" });
        const event = (data: unknown) => {
          if (!res.destroyed && !res.writableEnded) res.write(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
        };
        event(chunk(meta, { role: "assistant", content: "" }));
        // The reply grows; only the new text is sent. A reply that rewrites what was sent cannot
        // be taken back in this format, so its rewrite is not streamed.
        let sent = "";
        const grew = (reply: string) => {
          if (reply.length <= sent.length || !reply.startsWith(sent)) return;
          event(chunk(meta, { content: reply.slice(sent.length) }));
          sent = reply;
        };
        try {
          grew(await target!.reply(runtime, request, gone.signal, grew));
          event(chunk(meta, {}, "stop"));
        } catch (e) {
          if (!(e instanceof DaisError)) throw e;
          event(fromRunError(e.code, e.message).body);
        }
        event("[DONE]");
        res.end();
      }
    },
  };
}
