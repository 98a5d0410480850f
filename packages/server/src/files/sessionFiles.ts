import { createReadStream } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, isAbsolute, relative, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { type BaseProps, DaisError, type FileData, type FileSource, invalidOutput, type LocalFile, nameOf, type SessionFiles } from "@dais/core";
import { type FileStore, fileUrl, isWaitingOwner, type StoredFile, wirePath } from "./FileStore.ts";
import { extensionOf, guessMimeType } from "./mimeTypes.ts";

export interface SessionFilesOptions {
  /**
   * Folders fn's outputs may name files in (a path a function returns is served to the page).
   * Default: the working directory and the system's temp folder; files and folders whose names
   * start with a dot (`.env`, `.git`) never.
   */
  allowedPaths?: string[];
}

/** One session's view of the store: what file components' `receive` and `send` are given. */
export function sessionFiles(store: FileStore, owner: string, options: SessionFilesOptions = {}): SessionFiles {
  const put = (source: AsyncIterable<Uint8Array>, name: string, mimeType: string | undefined, kind: string, props: BaseProps) =>
    store.put(owner, source, { name, mimeType }).catch((e: unknown) => {
      throw e instanceof DaisError && e.code === "too_large" ? new DaisError("invalid_output", `The function's file for ${nameOf(kind, props)} could not be kept: ${e.message}`) : e;
    });

  return {
    async local(data, kind, props) {
      const file = store.find(data.path);
      // Another session's file is as unknown as one that never existed.
      if (!file || (file.owner !== owner && !isWaitingOwner(file.owner))) throw new DaisError("invalid_input", `${nameOf(kind, props)} names a file this session does not have; upload it again.`);
      if (file.owner !== owner) await store.claim(file, owner);
      return toLocal(file);
    },
    async read(file) {
      return readFile(file.path);
    },
    async store(value, kind, props) {
      return toFileData(await storeOutput(value, kind, props));
    },
  };

  async function storeOutput(value: FileSource, kind: string, props: BaseProps): Promise<StoredFile> {
    if (value instanceof Uint8Array) return bytes(value, undefined, undefined);
    if (typeof value === "string") return /^https?:\/\//i.test(value) ? download(value, undefined, undefined) : fromDisk(value, undefined, undefined);
    if ((value as unknown) instanceof URL) return download((value as unknown as URL).href, undefined, undefined);
    if ("data" in value && value.data instanceof Uint8Array) return bytes(value.data, value.name, value.mimeType);
    if ("url" in value) return download(String(value.url), value.name, value.mimeType);
    if ("path" in value && typeof value.path === "string") {
      const mime = "mimeType" in value ? value.mimeType : undefined;
      return fromDisk(value.path, value.name, mime);
    }
    throw invalidOutput(kind, props, "a file (a path, bytes or a URL)", value);

    function bytes(data: Uint8Array, name: string | undefined, mimeType: string | undefined) {
      const type = mimeType ?? guessMimeType(name ?? "", data.subarray(0, 16));
      return put(Readable.from([data]), name ?? `${kind}.${extensionOf(type)}`, type, kind, props);
    }

    async function fromDisk(path: string, name: string | undefined, mimeType: string | undefined) {
      const own = store.atLocalPath(path);
      if (own && own.owner === owner) return own;
      const real = await realpath(resolve(path)).catch(() => undefined);
      if (!real || !(await stat(real)).isFile()) throw invalidOutput(kind, props, "a file that exists", path);
      if (!(await allowed(real))) throw new DaisError("invalid_output", `The function returned ${path} for ${nameOf(kind, props)}, which is outside the folders files may be served from (the working directory and the temp folder; add others with allowedPaths).`);
      const fileName = name ?? basename(real);
      return put(createReadStream(real), fileName, mimeType ?? guessMimeType(fileName), kind, props);
    }

    async function download(url: string, name: string | undefined, mimeType: string | undefined) {
      let response: Response;
      try {
        response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
      } catch (e) {
        throw new DaisError("invalid_output", `The function's URL for ${nameOf(kind, props)} could not be fetched: ${(e as Error).message}`);
      }
      if (!response.ok || !response.body) throw new DaisError("invalid_output", `The function's URL for ${nameOf(kind, props)} answered ${response.status}.`);
      const fileName = name ?? (basename(new URL(response.url || url).pathname) || kind);
      const type = mimeType ?? response.headers.get("content-type")?.split(";")[0]?.trim();
      return put(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), fileName, type, kind, props);
    }
  }

  async function allowed(real: string): Promise<boolean> {
    const roots = options.allowedPaths ?? [process.cwd(), tmpdir()];
    for (const root of roots) {
      const r = await realpath(resolve(root)).catch(() => undefined);
      if (!r) continue;
      const inside = relative(r, real);
      // Inside the folder, and no dot-named file or folder on the way (.env, .git, .ssh).
      if (inside && !inside.startsWith("..") && !isAbsolute(inside) && !inside.split(sep).some((part) => part.startsWith("."))) return true;
    }
    return false;
  }
}

export function toLocal(file: StoredFile): LocalFile {
  return { path: file.localPath, name: file.name, size: file.size, mimeType: file.mimeType };
}

export function toFileData(file: StoredFile): FileData {
  return { path: wirePath(file), url: fileUrl(file), orig_name: file.name, size: file.size, mime_type: file.mimeType, meta: { _type: "gradio.FileData" } };
}
