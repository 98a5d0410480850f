import { existsSync, readdirSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import express from "express";

/** Which precompressed forms the build made of one file. */
interface Variants {
  br: boolean;
  gzip: boolean;
}

/**
 * Serves the UI's built files, each as the smallest form the browser takes: the build writes
 * `.br` (brotli) and `.gz` (gzip, level 9) beside every script and stylesheet, so nothing is
 * compressed per request and the page is smaller than on-the-fly gzip makes it. Only files that
 * were there at start are served this way (a map, not a path built from the request), and
 * anything else falls through to plain static serving.
 * @example web.use(staticAssets("/path/to/ui/dist"));
 */
export function staticAssets(root: string): express.RequestHandler {
  const files = new Map<string, Variants>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || /\.(br|gz)$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const br = existsSync(`${path}.br`);
    const gzip = existsSync(`${path}.gz`);
    if (br || gzip) files.set(`/${relative(root, path).split(sep).join("/")}`, { br, gzip });
  }
  const plain = express.static(root, { index: "index.html", maxAge: 0 });
  return (req, res, next) => {
    const variants = req.method === "GET" || req.method === "HEAD" ? files.get(req.path) : undefined;
    if (!variants) return plain(req, res, next);
    res.vary("Accept-Encoding");
    const accepted = acceptedEncodings(req.headers["accept-encoding"]);
    const encoding = variants.br && accepted.has("br") ? "br" : variants.gzip && accepted.has("gzip") ? "gzip" : undefined;
    if (!encoding) return plain(req, res, next);
    // The type of the file itself, not of its .br/.gz; compression() leaves an encoded body alone.
    res.type(extname(req.path));
    res.setHeader("Content-Encoding", encoding);
    res.sendFile(`${req.path.slice(1)}.${encoding === "br" ? "br" : "gz"}`, { root, maxAge: 0, dotfiles: "deny" }, (e) => e && next(e));
  };
}

/** The encodings an Accept-Encoding header takes (those not refused with q=0). */
function acceptedEncodings(header: string | string[] | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of String(header ?? "").slice(0, 1024).split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name || params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p))) continue;
    accepted.add(name);
  }
  return accepted;
}
