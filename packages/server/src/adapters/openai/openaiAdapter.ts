import { randomUUID } from "node:crypto";
import { DaisError } from "@dais/core";
import express, { type Request, type Response } from "express";
import type { HttpAdapter } from "../HttpAdapter.ts";
import { ChatTarget } from "./ChatTarget.ts";
import { chunk, completion, type CompletionMeta } from "./completionChunks.ts";
import { fromRunError, OpenAIError } from "./OpenAIError.ts";
import { parseChatRequest } from "./parseChatRequest.ts";
import { ReplyDeltas } from "./ReplyDeltas.ts";

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
        // The client going away (a closed stream, an aborted request) or a stop sequence stops the run.
        const halt = new AbortController();
        res.on("close", () => {
          if (!res.writableFinished) halt.abort();
        });
        const deltas = new ReplyDeltas(request.generation.stop);
        const write = (data: unknown) => {
          if (request.stream && !res.destroyed && !res.writableEnded) res.write(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
        };
        // The answer is complete at a stop sequence, whether or not fn heeds its signal at once.
        let atStop = () => {};
        const stopSeen = new Promise<undefined>((resolve) => (atStop = () => resolve(undefined)));
        const grew = (reply: string, final = false) => {
          const delta = deltas.next(reply, final);
          if (delta) write(chunk(meta, { content: delta }));
          if (deltas.stopped) {
            halt.abort();
            atStop();
          }
        };
        if (request.stream) {
          // no-transform keeps the compression middleware from holding events back.
          res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" });
          write(chunk(meta, { role: "assistant", content: "" }));
        }
        let failed: OpenAIError | undefined;
        let final: string | undefined;
        try {
          const replying = target!.reply(runtime, request, halt.signal, grew);
          replying.catch(() => undefined); // once stopped, its end no longer matters
          final = await Promise.race([replying, stopSeen]);
          if (final !== undefined) grew(final, true);
        } catch (e) {
          if (!(e instanceof DaisError)) throw e;
          // Stopped by a stop sequence: the reply up to it is the answer.
          if (!deltas.stopped) failed = fromRunError(e.code, e.message);
        }
        if (!request.stream) {
          if (res.destroyed) return;
          if (failed) return failed.send(res);
          // A reply that rewrote itself on the way is still given whole here.
          res.json(completion(meta, deltas.stopped || final === undefined ? deltas.text : final));
          return;
        }
        write(failed ? failed.body : chunk(meta, {}, "stop"));
        write("[DONE]");
        res.end();
      }
    },
  };
}
