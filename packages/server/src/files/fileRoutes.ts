import { DaisError } from "@dais/core";
import busboy from "busboy";
import type { Readable } from "node:stream";
import type { Request, Response, Router } from "express";
import type { Runtime } from "../Runtime.ts";
import { type TrustProxy, visitorOf } from "../visitorOf.ts";
import { formatBytes } from "./DiskFileStore.ts";
import { isWaitingOwner, type StoredFile, wirePath } from "./FileStore.ts";
import { showsInline } from "./mimeTypes.ts";
import { sameSiteOrAllowed } from "../sameSiteOrAllowed.ts";

export interface FileRoutesOptions {
  /** Origins whose pages may upload besides the app's own. */
  allowedOrigins: string[];
  trustProxy: TrustProxy;
  /** Files one upload request may carry. Default 100. */
  maxFilesPerRequest?: number;
}

const sessionPattern = /^[\w-]{1,128}$/;

/**
 * Gradio's file routes, for the page and for programs alike: `POST gradio_api/upload`
 * (multipart, field `files`) streams each file into the session's folder and answers the paths,
 * and `GET gradio_api/file=<path>` serves a file. The page names its session (`?session=`);
 * Gradio's client uploads before it has one, so its files wait, per visitor, for the first
 * session whose run names them. A file is served only while its session lives, under a path
 * with 128 random bits that only that session was given, behind the app's access gates.
 */
export function fileRoutes(router: Router, runtime: Runtime, options: FileRoutesOptions): void {
  const store = runtime.files;
  const maxFiles = options.maxFilesPerRequest ?? 100;

  router.post("/gradio_api/upload", (req, res) => {
    if (!sameSiteOrAllowed(req, options.allowedOrigins)) return refuse(res, 403, "Uploads from other sites' pages are refused (see allowedOrigins).");
    const session = req.query.session;
    let owner: string;
    if (session !== undefined) {
      if (typeof session !== "string" || !sessionPattern.test(session) || !runtime.sessions.has(session)) return refuse(res, 404, "Unknown session: reload the page.");
      owner = session;
    } else owner = `upload:${visitorOf(req, options.trustProxy).address}`;
    // A body that says up front it is too large is refused before a byte of it is read.
    const length = Number(req.headers["content-length"] ?? 0);
    if (length > store.maxFileSize * maxFiles + 1024 * 1024) return refuseUpload(req, res, new DaisError("too_large", `The upload is larger than this app accepts (${formatBytes(store.maxFileSize)} a file).`));
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: maxFiles, fields: 16, fieldSize: 4096, parts: maxFiles + 16, headerPairs: 64 } });
    } catch {
      return refuse(res, 400, "Send the files as multipart/form-data in the field \"files\".");
    }
    const stored: Promise<StoredFile>[] = [];
    /** Files still streaming in: ended at once when the request fails, so none waits for bytes that will never come. */
    const open = new Set<Readable>();
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      for (const stream of open) stream.destroy();
      refuseUpload(req, res, e);
    };
    parser.on("file", (field, stream, info) => {
      if (field !== "files" || failed) return void stream.resume();
      open.add(stream);
      // A stream ended early (the request failed) must not throw from its 'error' event.
      stream.on("error", () => undefined);
      stream.once("close", () => open.delete(stream));
      const put = store.put(owner, stream, { name: info.filename ?? "file", mimeType: info.mimeType });
      // The first file past the limit ends the whole request at once, while it is still streaming.
      put.catch(fail);
      stored.push(put);
    });
    parser.on("filesLimit", () => fail(new DaisError("too_large", `At most ${maxFiles} files at once.`)));
    parser.on("partsLimit", () => fail(new DaisError("too_large", "Too many parts in one upload.")));
    parser.on("error", () => fail(new DaisError("bad_frame", "The upload is not well-formed multipart/form-data.")));
    parser.on("close", () => {
      void Promise.allSettled(stored).then((results) => {
        if (failed) return;
        const bad = results.find((r) => r.status === "rejected");
        if (bad) return fail(bad.reason);
        res.json(results.map((r) => wirePath((r as PromiseFulfilledResult<StoredFile>).value)));
      });
    });
    req.on("error", () => fail(new DaisError("bad_frame", "The upload was cut off.")));
    // The client went away mid-upload: what it had sent is deleted.
    req.on("close", () => {
      if (!req.complete) fail(new DaisError("bad_frame", "The upload was cut off."));
    });
    req.pipe(parser);
  });

  router.get(/^\/gradio_api\/file=(.+)$/, (req, res) => {
    let path: string;
    try {
      path = decodeURIComponent((req.params as unknown as string[])[0] ?? "");
    } catch {
      return refuse(res, 404, "No such file.");
    }
    const file = store.find(path);
    // Waiting uploads belong to no session yet, so they are nobody's to read.
    if (!file || isWaitingOwner(file.owner) || !runtime.sessions.has(file.owner)) return refuse(res, 404, "No such file (its session may have ended).");
    const inline = showsInline(file.mimeType);
    res.setHeader("Content-Type", inline ? file.mimeType : "application/octet-stream");
    res.setHeader("Content-Disposition", `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(file.name)}`);
    res.setHeader("X-Content-Type-Options", "nosniff");
    // Even a file a browser opens on its own runs nothing as this app.
    res.setHeader("Content-Security-Policy", "default-src 'none'; media-src 'self'; img-src 'self'; sandbox");
    res.setHeader("Cache-Control", "private, max-age=3600");
    res.sendFile(file.localPath, { dotfiles: "allow", cacheControl: false, lastModified: false }, (e) => {
      if (e && !res.headersSent) refuse(res, 404, "No such file (its session may have ended).");
    });
  });
}

/** Answers a refused upload and stops reading the rest of it. */
function refuseUpload(req: Request, res: Response, e: unknown): void {
  const error = e instanceof DaisError ? e : new DaisError("internal", "The upload could not be stored.");
  if (error.code === "internal") console.error("[dais] upload failed:", e);
  const status = error.code === "too_large" ? 413 : error.code === "not_found" ? 404 : error.code === "bad_frame" ? 400 : 500;
  if (res.headersSent) return void req.destroy();
  // The client may still be sending: the connection is closed once the answer is out, so what
  // is left of a huge body is never read.
  res.setHeader("Connection", "close");
  res.on("finish", () => req.socket.destroySoon?.());
  refuse(res, status, error.message);
}

function refuse(res: Response, status: number, message: string): void {
  res.status(status).json({ detail: message, error: message });
}
