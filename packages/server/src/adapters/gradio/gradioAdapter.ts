import { DaisError } from "@dais/core";
import express, { type NextFunction, type Request, type Response } from "express";
import type { HttpAdapter } from "../HttpAdapter.ts";
import { type ApiEndpoint, apiEndpoints } from "./apiEndpoints.ts";
import { apiPage } from "./apiPage.ts";
import { gradioConfig, gradioInfo } from "./gradioConfig.ts";
import type { GradioSession } from "./GradioSession.ts";
import { GradioSessions, type GradioSessionsOptions } from "./GradioSessions.ts";
import { SseStream } from "./SseStream.ts";
import { sameSiteOrAllowed } from "../../sameSiteOrAllowed.ts";

export interface GradioAdapterOptions extends GradioSessionsOptions {
  /** Largest request body, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Event streams open at once over all sessions. Default 1,000. */
  maxStreams?: number;
  /** Origins whose pages may call the API besides the app's own (`*` for any); as for the WebSocket. */
  allowedOrigins?: string[];
}

/** Gradio's session hashes are short random strings; anything else is refused. */
const hashPattern = /^[\w-]{1,128}$/;
const idPattern = /^[\w-]{1,64}$/;

/**
 * Gradio's wire, so `@gradio/client`, `gradio_client` and curl drive a Dais app unchanged:
 * `config` (Gradio's shape; the page asks for its own with `?format=dais`), and under
 * `gradio_api/`: `info`, `queue/join` + `queue/data` (one event stream per session_hash),
 * `call/<name>` + its stream for curl, `cancel`, `reset`, `heartbeat`, `app_id`. Also the
 * "Use via API" page at `api`. A session_hash is a Dais session, so states persist across calls.
 */
export function gradioAdapter(options: GradioAdapterOptions = {}): HttpAdapter {
  /** Each server's session map (its sweep timer, its open streams), closed with the server. */
  const opened: GradioSessions[] = [];
  return {
    name: "gradio",
    close() {
      for (const sessions of opened.splice(0)) sessions.close();
    },
    routes(router, { app, config, runtime }) {
      const endpoints = apiEndpoints(app);
      const byName = new Map(endpoints.map((e) => [e.name.slice(1), e]));
      const byIndex = new Map(endpoints.map((e) => [e.fn.id, e]));
      const gradio = JSON.stringify(gradioConfig(app, config, endpoints));
      const info = JSON.stringify(gradioInfo(endpoints));
      const sessions = new GradioSessions(runtime, options);
      opened.push(sessions);
      /** call/ events by id, to find their session; bounded like the sessions that hold them. */
      const calls = new Map<string, { session: GradioSession; hash: string; oneOff: boolean }>();
      const maxStreams = options.maxStreams ?? 1000;
      let streams = 0;
      const openStream = (req: Request, res: Response, heartbeat: () => string): SseStream | undefined => {
        if (streams >= maxStreams) {
          res.status(503).json({ detail: "Too many open streams." });
          return undefined;
        }
        streams++;
        const stream = new SseStream(req, res, heartbeat);
        stream.whenClosed(() => streams--);
        return stream;
      };
      const body = express.json({ limit: options.maxBodyBytes ?? 1024 * 1024, type: () => true });

      router.get("/config", (req, res, next) => {
        if (req.query.format === "dais") return next();
        res.type("json").send(gradio);
      });
      router.get("/api", (req, res) => {
        res.type("html").send(apiPage(config.title, endpoints, `${req.protocol}://${req.get("host") ?? "localhost"}${req.baseUrl}/`));
      });

      const api = express.Router();
      // A page of another site must not start runs in a visitor's app (a text/plain POST needs no
      // CORS preflight); programs send no Origin and pass.
      api.use((req, res, next) => {
        if (sameSiteOrAllowed(req, options.allowedOrigins ?? [])) return next();
        refuse(res, 403, "Requests from other sites' pages are refused (see allowedOrigins).");
      });
      api.get("/info", (_req, res) => {
        res.type("json").send(info);
      });
      api.get("/app_id", (_req, res) => {
        res.json({ app_id: config.id });
      });

      api.post("/queue/join", body, (req, res) => {
        const b = asObject(req.body);
        const hash = b.session_hash;
        if (typeof hash !== "string" || !hashPattern.test(hash)) return void refuse(res, 422, "session_hash must be letters, digits, - or _ (at most 128).");
        const fn = typeof b.fn_index === "number" ? byIndex.get(b.fn_index) : undefined;
        if (!fn) return void refuse(res, 422, "fn_index must name an endpoint of this app (see gradio_api/info).");
        start(res, sessions.get(hash, true) as GradioSession, fn, b.data, "queue");
      });

      api.get("/queue/data", (req, res) => {
        const hash = req.query.session_hash;
        const session = typeof hash === "string" && hashPattern.test(hash) ? sessions.get(hash, false) : undefined;
        if (!session) return void refuse(res, 404, "Unknown session_hash: join the queue first.");
        const stream = openStream(req, res, () => `data: ${JSON.stringify({ msg: "heartbeat" })}`);
        if (stream && !session.attach(stream)) {
          stream.data({ msg: "unexpected_error", message: "Too many streams for this session." });
          stream.close();
        }
      });

      api.post("/cancel", body, (req, res) => {
        const b = asObject(req.body);
        const session = typeof b.session_hash === "string" && hashPattern.test(b.session_hash) ? sessions.get(b.session_hash, false) : undefined;
        if (!session) return void refuse(res, 404, "Unknown session_hash.");
        if (typeof b.event_id !== "string" || !idPattern.test(b.event_id)) return void refuse(res, 422, "event_id must be an event id.");
        res.json({ success: session.cancel(b.event_id) });
      });
      // The client calls it after a cancel; a Dais session has nothing more to reset.
      api.post("/reset", body, (_req, res) => {
        res.json({ success: true });
      });

      api.get("/heartbeat/:hash", (req, res) => {
        if (!hashPattern.test(req.params.hash as string)) return void refuse(res, 422, "Bad session_hash.");
        const stream = openStream(req, res, () => "data: ALIVE");
        stream?.write("data: ALIVE");
      });

      api.post("/call/:name", body, (req, res) => {
        const fn = byName.get(req.params.name as string);
        if (!fn) return void refuse(res, 404, `No endpoint "/${String(req.params.name).slice(0, 64)}"; see gradio_api/info.`);
        const b = asObject(req.body);
        const given = typeof b.session_hash === "string" && hashPattern.test(b.session_hash) ? b.session_hash : undefined;
        // Without a session_hash a call gets a session of its own, ended once its result is read,
        // so one-off calls do not push the sessions of real clients out of the bounded map.
        const hash = given ?? `call-${crypto.randomUUID()}`;
        const session = sessions.get(hash, true) as GradioSession;
        const id = start(res, session, fn, b.data, "call");
        if (id === undefined) {
          if (given === undefined) sessions.drop(hash);
          return;
        }
        if (calls.size >= 10_000) calls.delete(calls.keys().next().value as string);
        calls.set(id, { session, hash, oneOff: given === undefined });
      });

      api.get("/call/:name/:eventId", (req, res) => {
        const id = req.params.eventId as string;
        const call = calls.get(id);
        if (!call || !byName.has(req.params.name as string)) return void refuse(res, 404, "Unknown event_id.");
        const stream = openStream(req, res, () => "event: heartbeat\ndata: null");
        if (!stream) return;
        if (!call.session.read(id, stream)) {
          stream.write(`event: error\ndata: ${JSON.stringify("Unknown event_id.")}`);
          stream.close();
        }
        stream.whenClosed(() => {
          calls.delete(id);
          if (call.oneOff) sessions.drop(call.hash);
        });
      });

      // Whatever a program sends (bad JSON, a body too large) gets an answer, never a throw.
      api.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
        const status = typeof err === "object" && err !== null && typeof (err as { status?: unknown }).status === "number" ? (err as { status: number }).status : 500;
        if (status >= 500) console.error("[dais] gradio API:", err);
        if (!res.headersSent) refuse(res, status, status === 413 ? "The request is too large." : status < 500 ? "The request body must be JSON." : "Internal error.");
      });
      router.use("/gradio_api", api);

      /** Starts an event and answers `{event_id}`, or the refusal Gradio gives. Returns the id. */
      function start(res: Response, session: GradioSession, fn: ApiEndpoint, data: unknown, via: "queue" | "call"): string | undefined {
        if (!Array.isArray(data)) return void refuse(res, 422, "data must be a list of input values.");
        const req = res.req;
        // Mounted at <root>/gradio_api: the app's own URL is the part before it.
        session.base = `${req.protocol}://${req.get("host") ?? "localhost"}${req.baseUrl.replace(/\/gradio_api$/, "")}/`;
        try {
          const id = session.run(fn, data, via);
          res.json({ event_id: id });
          return id;
        } catch (e) {
          const error = e instanceof DaisError ? e : new DaisError("internal", "Internal error.");
          const status = error.code === "queue_full" ? 503 : error.code === "rate_limited" ? 429 : error.code === "internal" ? 500 : 422;
          if (status === 500) console.error("[dais] gradio API:", e);
          refuse(res, status, error.message);
          return undefined;
        }
      }
    },
  };
}

function asObject(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Gradio's error body: `detail` (the client shows it) and `error`. */
function refuse(res: Response, status: number, message: string): void {
  res.status(status).json({ detail: message, error: message });
}
