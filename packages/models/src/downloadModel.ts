import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ModelProgress } from "./loadModel.ts";
import { commonFiles, type Dtype, type ModelKind, type OnnxLayout, onnxLayouts, pickLayout, requiredFiles } from "./ModelSource.ts";

/** Why a download failed, for the user's message. */
export class DownloadError extends Error {
  override readonly name = "DownloadError";
  constructor(
    message: string,
    readonly kind: "not_found" | "unauthorized" | "server" | "network" | "truncated",
    readonly detail: string,
  ) {
    super(message);
  }
}

/** What a download left in the folder: the files and their sizes as the Hub listed them. */
interface Manifest {
  files: Record<string, { size: number; etag?: string }>;
}

const MANIFEST = ".dais-download.json";
const OPTIONAL = ["generation_config.json"];

export interface DownloadOptions {
  id: string;
  dir: string;
  /** Ends with a slash. */
  hubUrl: string;
  kind: ModelKind;
  dtype: Dtype;
  /** Sent as a bearer token to whichever endpoint serves the files (the Hub or an HF_ENDPOINT mirror). */
  token?: string;
  onProgress?: (e: ModelProgress) => void;
  /** Download every file again, even those that look complete. */
  force?: boolean;
}

/**
 * Downloads a Hub model's files into its cache folder, in whichever ONNX layout the repository
 * has (its file list from the Hub's API, else by probing each name), each file through a
 * temporary `.incomplete` file renamed once its size is checked, and records the sizes in a
 * manifest so later loads can tell a complete cache from a truncated or replaced one without
 * the network. Returns the layout to load.
 * @example const layout = await downloadModel({ id: "Xenova/DialoGPT-small", dir, hubUrl: "https://huggingface.co/", kind: "causal", dtype: "q8" });
 */
export async function downloadModel(o: DownloadOptions): Promise<OnnxLayout> {
  mkdirSync(o.dir, { recursive: true });
  removeIncomplete(o.dir);
  const headers: Record<string, string> = o.token ? { authorization: `Bearer ${o.token}` } : {};
  const listed = await listFiles(o, headers);
  const has = (f: string) => (listed ? listed.has(f) : undefined);
  let layout = listed ? pickLayout(o.kind, o.dtype, (f) => has(f)!) : undefined;
  if (!listed) {
    // No file list (a mirror without the API): probe each layout's first file.
    for (const candidate of onnxLayouts(o.kind, o.dtype)) {
      if (await exists(o, candidate.files[0]!, headers)) {
        layout = candidate;
        break;
      }
    }
  }
  const manifest = readManifest(o.dir);
  const wanted = [...requiredFiles(o.kind, o.dtype, layout), ...OPTIONAL];
  // The repository's weights may keep their tensors in a side file (models over 2 GB).
  if (listed && layout) for (const f of layout.files) if (listed.has(`${f}_data`)) wanted.push(`${f}_data`);
  if (!layout) {
    // Download the common files anyway: a 404 for config.json says "no such model" better than a missing ONNX file.
    for (const f of commonFiles) if (listed && !listed.has(f)) throw new DownloadError(`${f} is not in the repository`, "not_found", `HTTP 404 for ${fileUrl(o, f)}`);
  }
  for (const file of wanted) {
    const expected = listed?.get(file);
    const optional = OPTIONAL.includes(file) || file.endsWith("_data");
    if (listed && expected === undefined && optional) continue;
    const path = join(o.dir, file);
    const known = manifest.files[file];
    if (!o.force && existsSync(path) && known && statSync(path).size === known.size && (expected === undefined || expected.size === known.size)) continue;
    const got = await fetchFile(o, file, headers, expected?.size, optional);
    if (got) manifest.files[file] = got;
  }
  writeFileSync(join(o.dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  if (!layout) {
    const preferred = requiredFiles(o.kind, o.dtype).filter((f) => !commonFiles.includes(f));
    throw new DownloadError(`the repository has no ${preferred.join(", ")}`, "not_found", `HTTP 404 for ${fileUrl(o, preferred[0]!)}`);
  }
  return layout;
}

/**
 * Whether the folder's files are the ones a download recorded (same sizes), so a cache can be
 * trusted without the network. Folders without a manifest (copied by hand) are trusted as they are.
 */
export function cacheIsIntact(dir: string, files: readonly string[]): { intact: boolean; bad: string[] } {
  const manifest = readManifest(dir);
  if (Object.keys(manifest.files).length === 0) return { intact: true, bad: [] };
  const bad = files.filter((f) => {
    const known = manifest.files[f];
    return !existsSync(join(dir, f)) || (known !== undefined && statSync(join(dir, f)).size !== known.size);
  });
  return { intact: bad.length === 0, bad };
}

function readManifest(dir: string): Manifest {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as Manifest;
    return m && typeof m.files === "object" ? m : { files: {} };
  } catch {
    return { files: {} };
  }
}

/** Temporary files of downloads that a crash or Ctrl+C interrupted. */
function removeIncomplete(dir: string): void {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile() && entry.name.endsWith(".incomplete")) rmSync(join(entry.parentPath, entry.name), { force: true });
}

const fileUrl = (o: DownloadOptions, file: string) => `${o.hubUrl}${o.id}/resolve/main/${file.split("/").map(encodeURIComponent).join("/")}`;

/** The repository's files and sizes from the Hub's API; undefined when the endpoint has no such API. */
async function listFiles(o: DownloadOptions, headers: Record<string, string>): Promise<Map<string, { size: number; etag?: string }> | undefined> {
  const url = `${o.hubUrl}api/models/${o.id}/tree/main?recursive=true`;
  const response = await request(url, { headers });
  if (response.status === 401 || response.status === 403) throw new DownloadError("access denied", "unauthorized", `HTTP ${response.status} for ${url}`);
  if (response.status >= 500) throw new DownloadError(`the Hub answered HTTP ${response.status}`, "server", `HTTP ${response.status} for ${url}`);
  if (!response.ok) {
    await response.body?.cancel();
    return undefined;
  }
  try {
    const entries = (await response.json()) as { type?: string; path?: string; size?: number; oid?: string; lfs?: { size?: number; oid?: string } }[];
    if (!Array.isArray(entries)) return undefined;
    const out = new Map<string, { size: number; etag?: string }>();
    for (const e of entries) {
      if (e.type !== "file" || typeof e.path !== "string") continue;
      const size = e.lfs?.size ?? e.size;
      const etag = e.lfs?.oid ?? e.oid;
      if (typeof size === "number") out.set(e.path, { size, ...(etag ? { etag } : {}) });
    }
    return out;
  } catch {
    return undefined;
  }
}

async function exists(o: DownloadOptions, file: string, headers: Record<string, string>): Promise<boolean> {
  const url = fileUrl(o, file);
  const response = await request(url, { method: "HEAD", headers });
  if (response.status === 401 || response.status === 403) throw new DownloadError("access denied", "unauthorized", `HTTP ${response.status} for ${url}`);
  if (response.status >= 500) throw new DownloadError(`the Hub answered HTTP ${response.status}`, "server", `HTTP ${response.status} for ${url}`);
  return response.ok;
}

/** Fetches one file into place through a temporary file; its size must be what the Hub listed (or sent). */
async function fetchFile(o: DownloadOptions, file: string, headers: Record<string, string>, listedSize: number | undefined, optional: boolean): Promise<{ size: number; etag?: string } | undefined> {
  const url = fileUrl(o, file);
  const name = o.id;
  o.onProgress?.({ status: "initiate", name, file });
  const response = await request(url, { headers });
  if (response.status === 404 && optional) {
    await response.body?.cancel();
    return undefined;
  }
  if (response.status === 401 || response.status === 403) throw new DownloadError("access denied", "unauthorized", `HTTP ${response.status} for ${url}`);
  if (response.status === 404) throw new DownloadError(`${file} is not in the repository`, "not_found", `HTTP 404 for ${url}`);
  if (!response.ok || !response.body) throw new DownloadError(`the Hub answered HTTP ${response.status}`, "server", `HTTP ${response.status} for ${url}`);
  o.onProgress?.({ status: "download", name, file });
  const sent = Number(response.headers.get("content-length") ?? Number.NaN);
  const total = listedSize ?? (Number.isFinite(sent) ? sent : 0);
  const path = join(o.dir, file);
  const temp = `${path}.${process.pid}.incomplete`;
  mkdirSync(dirname(path), { recursive: true });
  let loaded = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      loaded += chunk.length;
      o.onProgress?.({ status: "progress", name, file, progress: total ? (loaded / total) * 100 : 0, loaded, total });
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as never), count, createWriteStream(temp));
  } catch (e) {
    rmSync(temp, { force: true });
    throw new DownloadError(`the download of ${file} broke off`, "network", errorCode(e));
  }
  const expected = listedSize ?? (Number.isFinite(sent) ? sent : undefined);
  if (expected !== undefined && loaded !== expected) {
    rmSync(temp, { force: true });
    throw new DownloadError(`${file} arrived truncated (${loaded} of ${expected} bytes)`, "truncated", `${loaded} of ${expected} bytes of ${url}`);
  }
  renameSync(temp, path);
  o.onProgress?.({ status: "done", name, file });
  const etag = response.headers.get("x-linked-etag") ?? response.headers.get("etag") ?? undefined;
  return { size: loaded, ...(etag ? { etag: etag.replace(/"/g, "") } : {}) };
}

/** fetch, with a minute for the answer to start (not for the whole body: weights take longer). */
async function request(url: string, init: RequestInit): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error("no answer within 60 s")), 60_000);
  try {
    return await fetch(url, { ...init, signal: controller.signal });
  } catch (e) {
    throw new DownloadError("the network failed", "network", errorCode(e));
  } finally {
    clearTimeout(timer);
  }
}

function errorCode(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
}
