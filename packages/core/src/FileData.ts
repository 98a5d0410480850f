import { type BaseProps, invalidInput, nameOf } from "./Component.ts";
import { DaisError } from "./DaisError.ts";

/**
 * A file on the wire, in Gradio's shape, so `@gradio/client`'s `handle_file`, its `upload`
 * route and `file=` URLs work unchanged. `path` is what the server handed out for the file
 * (`<id>/<name>`); it is all the server believes of a value a browser sends back: name, size and
 * type are taken from its own record of the upload, never from the value.
 */
export interface FileData {
  path: string;
  /** Where the page (or a program) fetches it: `gradio_api/file=<path>`, or an outside URL. */
  url?: string | null;
  orig_name?: string | null;
  size?: number | null;
  mime_type?: string | null;
  is_stream?: boolean;
  meta: { _type: "gradio.FileData" };
}

/** A file of the session, as fn receives it with `type: "file"` (the default). */
export interface LocalFile {
  /** Where it is on the server's disk (in the session's folder, deleted when the session ends). */
  path: string;
  /** Its name as uploaded (or as fn's output named it). */
  name: string;
  /** In bytes. */
  size: number;
  mimeType: string;
}

/**
 * What fn may return for a file: a path on the server's disk, the bytes (a Buffer is a
 * Uint8Array), an http(s) URL string (fetched into the session's folder), a `LocalFile` it was given,
 * or a `{ data | path | url, name?, mimeType? }` object that names the file and its type.
 */
export type FileSource = string | Uint8Array | LocalFile | { data: Uint8Array; name?: string; mimeType?: string } | { url: string; name?: string; mimeType?: string };

/** How fn wants a file input: the file on disk (`"file"`) or its bytes (`"buffer"`). */
export type FileValueType = "file" | "buffer";
/** What fn receives for one file, by `type`. */
export type FileValue<T extends FileValueType> = T extends "buffer" ? Uint8Array : LocalFile;

/**
 * The server side of a session's files, handed to file components' `receive` and `send`. core
 * names the seam; the server implements it (a folder per session on disk today).
 */
export interface SessionFiles {
  /** The session's file a value names; throws `invalid_input` (naming the component) if it is not one. */
  local(data: FileData, kind: string, props: BaseProps): Promise<LocalFile>;
  /** The bytes of one of the session's files. */
  read(file: LocalFile): Promise<Uint8Array>;
  /** Puts fn's output into the session's folder and returns its wire value. Throws `invalid_output`. */
  store(value: FileSource, kind: string, props: BaseProps): Promise<FileData>;
}

export const fileDataType = "gradio.FileData";
const maxPathChars = 1024;

/**
 * Checks that a browser's value has the shape of a FileData (bounded strings, no extra nesting).
 * Whether it names one of the session's files is the server's check, in `SessionFiles.local`.
 */
export function isFileData(v: unknown): v is FileData {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  const meta = o.meta as Record<string, unknown> | undefined;
  return (
    typeof o.path === "string" &&
    o.path.length > 0 &&
    o.path.length <= maxPathChars &&
    optional(o.url, "string") &&
    optional(o.orig_name, "string") &&
    optional(o.size, "number") &&
    optional(o.mime_type, "string") &&
    (meta === undefined || (typeof meta === "object" && meta !== null && meta._type === fileDataType))
  );
}

function optional(v: unknown, type: "string" | "number"): boolean {
  return v === undefined || v === null || (typeof v === type && (type !== "string" || (v as string).length <= maxPathChars));
}

/** A browser's value for one file: null (nothing chosen) or a FileData, else `invalid_input`. */
export function checkFileData(raw: unknown, kind: string, props: BaseProps): FileData | null {
  if (raw === null || raw === undefined) return null;
  if (!isFileData(raw)) throw invalidInput(kind, props, "a file (FileData) or null", raw);
  // The value is shown back to the page: a URL the page would load must be this app's file
  // route or a web address, never `javascript:` or another scheme a crafted value could carry.
  const url = typeof raw.url === "string" && safeFileUrl(raw.url) ? raw.url : null;
  return { path: raw.path, url, orig_name: raw.orig_name ?? null, size: raw.size ?? null, mime_type: raw.mime_type ?? null, meta: { _type: fileDataType } };
}

/**
 * A browser's list of files (null is none): at most `max` FileData, each checked as
 * `checkFileData` does, else `invalid_input`. Whether each names one of the session's uploads is
 * `SessionFiles.local`'s check, in the component's `receive`.
 */
export function checkFileList(raw: unknown, kind: string, props: BaseProps, max: number): FileData[] {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length > max) throw invalidInput(kind, props, `a list of at most ${max} files`, raw);
  return raw.map((f) => checkFileData(f, kind, props)).filter((f): f is FileData => f !== null);
}

/**
 * Refuses (`invalid_input`) a session's file that `fileTypes` does not take. The picker's
 * `accept` is only a hint a crafted request skips, so the server checks the file as it recorded
 * it (its name and type from the upload, never the value's claims): an extension (`".pdf"`)
 * matches the name, `"image/*"` or a Gradio category (`"image"`, `"audio"`, `"video"`, `"text"`)
 * the type's family, anything else the exact type. No list, or an empty one, takes every file.
 */
export function checkFileType(file: LocalFile, kind: string, props: BaseProps & { fileTypes?: readonly string[] | undefined }): LocalFile {
  const types = props.fileTypes;
  if (!types || types.length === 0 || types.some((t) => fileTypeMatches(t, file))) return file;
  throw new DaisError("invalid_input", `${nameOf(kind, props)} takes only ${types.join(", ")} files, got ${JSON.stringify(file.name.slice(0, 80))} (${file.mimeType.slice(0, 80)}).`);
}

function fileTypeMatches(type: string, file: LocalFile): boolean {
  const t = type.trim().toLowerCase();
  const mime = file.mimeType.toLowerCase().split(";")[0]!.trim();
  if (t === "") return false;
  if (t === "file" || t === "*" || t === "*/*") return true;
  if (t.startsWith(".")) return file.name.toLowerCase().endsWith(t);
  if (t.endsWith("/*")) return mime.startsWith(t.slice(0, -1));
  if (!t.includes("/")) return mime.startsWith(`${t}/`);
  return mime === t;
}

/** Whether a page may load a file from this URL: the app's own file route, or http(s). */
export function safeFileUrl(url: string): boolean {
  return /^(?:(?:\.\/)?gradio_api\/file=|https?:\/\/)/i.test(url) || (/^\/[^/\\]/.test(url) && url.includes("/gradio_api/file="));
}

/** fn's output for one file, when the server's `send` has already made it wire data. */
export function checkFileOutput(value: unknown, kind: string, props: BaseProps): FileData | null {
  if (value === null || value === undefined) return null;
  if (!isFileData(value)) throw new DaisError("invalid_output", `The function's file for ${nameOf(kind, props)} was not stored (${typeof value}).`);
  return value;
}

/** Whether a value is one fn could return for a file (the server decides what it names). */
export function isFileSource(v: unknown): v is FileSource {
  if (typeof v === "string" || v instanceof Uint8Array) return true;
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.path === "string" || o.data instanceof Uint8Array || typeof o.url === "string";
}
