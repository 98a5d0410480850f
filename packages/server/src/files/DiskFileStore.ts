import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DaisError } from "@dais/core";
import { cleanFileName } from "./cleanFileName.ts";
import type { FileMeta, FileStore, StoredFile } from "./FileStore.ts";
import { isWaitingOwner } from "./FileStore.ts";
import { guessMimeType } from "./mimeTypes.ts";

export interface DiskFileStoreOptions {
  /** Largest file, in bytes. Default 100 MiB. */
  maxFileSize?: number;
  /** Most files one session (or one visitor's waiting uploads) may hold. Default 1,000. */
  maxFilesPerSession?: number;
  /** How long an upload no session has named is kept, in ms. Default one hour. */
  waitingTtl?: number;
  /** Parent of the store's temp folder. Default the system's (`os.tmpdir()`). */
  dir?: string;
}

const idPattern = /^[A-Za-z0-9_-]{22}$/;

/** One owner's folder and the ids of the files in it. */
interface Slot {
  dir: string;
  ids: Set<string>;
  dirReady: Promise<string>;
}

/**
 * Files on this machine's disk: one temp folder for the server, a folder per session in it
 * (deleted when the session ends), a folder per file holding it under its cleaned name, so fn
 * gets a path with the right extension. Files are found by their random id in memory only: a
 * path a browser sends never becomes a path on disk.
 */
export class DiskFileStore implements FileStore {
  readonly maxFileSize: number;
  private readonly maxFiles: number;
  private readonly waitingTtl: number;
  private readonly parent: string;
  private root: Promise<string> | undefined;
  private readonly files = new Map<string, StoredFile>();
  private readonly owners = new Map<string, Slot>();
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(options: DiskFileStoreOptions = {}) {
    this.maxFileSize = options.maxFileSize ?? 100 * 1024 * 1024;
    this.maxFiles = options.maxFilesPerSession ?? 1000;
    this.waitingTtl = options.waitingTtl ?? 60 * 60 * 1000;
    this.parent = options.dir ?? tmpdir();
    this.sweeper = setInterval(() => void this.sweep(), Math.min(this.waitingTtl, 60_000));
    this.sweeper.unref();
  }

  async put(owner: string, source: AsyncIterable<Uint8Array>, meta: FileMeta): Promise<StoredFile> {
    if (this.closed) throw new DaisError("shutting_down", "The server is shutting down.");
    const slot = this.slot(owner);
    // Counted before the first byte is read, so a flood of uploads cannot pass the limit together.
    if (slot.ids.size >= this.maxFiles) throw new DaisError("too_large", `This session already holds ${this.maxFiles} files, the most it may keep.`);
    const id = randomBytes(16).toString("base64url");
    slot.ids.add(id);
    const name = cleanFileName(meta.name);
    const dir = join(await slot.dirReady, id);
    const localPath = join(dir, diskName(name));
    let size = 0;
    let head: Uint8Array | undefined;
    try {
      await mkdir(dir);
      const out = createWriteStream(localPath, { flags: "wx" });
      const failed = new Promise<never>((_, reject) => out.once("error", reject));
      failed.catch(() => undefined);
      try {
        for await (const chunk of source) {
          size += chunk.byteLength;
          if (size > this.maxFileSize) throw tooLarge(this.maxFileSize);
          head ??= chunk.subarray(0, 16);
          if (!out.write(chunk)) await Promise.race([new Promise<void>((r) => out.once("drain", () => r())), failed]);
        }
      } finally {
        await Promise.race([new Promise<void>((r) => out.end(r)), failed]);
      }
    } catch (e) {
      slot.ids.delete(id);
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
    if (!this.owners.has(owner) || this.closed) {
      await rm(dir, { recursive: true, force: true });
      throw new DaisError("not_found", "The session ended while its file was stored.");
    }
    const declared = meta.mimeType && meta.mimeType !== "application/octet-stream" && /^[\w.+-]+\/[\w.+-]+$/.test(meta.mimeType) ? meta.mimeType.toLowerCase() : undefined;
    const file: StoredFile = { id, owner, name, size, mimeType: declared ?? guessMimeType(name, head), localPath, created: Date.now() };
    this.files.set(id, file);
    return file;
  }

  find(path: string): StoredFile | undefined {
    const slash = path.indexOf("/");
    const id = path.slice(0, slash);
    if (slash < 0 || !idPattern.test(id)) return undefined;
    const file = this.files.get(id);
    // The name must be the one handed out too: a path is either exactly right or nothing.
    return file && path.slice(slash + 1) === file.name ? file : undefined;
  }

  atLocalPath(localPath: string): StoredFile | undefined {
    // The folder a file sits in is named after its id.
    const parts = localPath.split(/[\\/]/);
    const file = this.files.get(parts[parts.length - 2] ?? "");
    return file?.localPath === localPath ? file : undefined;
  }

  async claim(file: StoredFile, owner: string): Promise<void> {
    if (!isWaitingOwner(file.owner)) return;
    const from = this.owners.get(file.owner);
    const to = this.slot(owner);
    if (to.ids.size >= this.maxFiles) throw new DaisError("too_large", `This session already holds ${this.maxFiles} files, the most it may keep.`);
    // Taken at once, so a second session naming it while it moves finds it claimed.
    from?.ids.delete(file.id);
    file.owner = owner;
    to.ids.add(file.id);
    const dir = join(await to.dirReady, file.id);
    await rename(join(file.localPath, ".."), dir);
    file.localPath = join(dir, diskName(file.name));
  }

  async drop(owner: string): Promise<void> {
    const slot = this.owners.get(owner);
    if (!slot) return;
    this.owners.delete(owner);
    for (const id of slot.ids) this.files.delete(id);
    await rm(await slot.dirReady, { recursive: true, force: true }).catch((e: unknown) => console.error("[dais] could not delete a session's files:", e));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    this.files.clear();
    this.owners.clear();
    if (this.root) await rm(await this.root, { recursive: true, force: true });
  }

  /** Files held by an owner, for tests and limits. */
  count(owner: string): number {
    return this.owners.get(owner)?.ids.size ?? 0;
  }

  private slot(owner: string): Slot {
    let slot = this.owners.get(owner);
    if (!slot) {
      this.root ??= mkdtemp(join(this.parent, "dais-files-"));
      const dir = randomBytes(9).toString("base64url");
      const dirReady = this.root.then(async (root) => {
        const path = join(root, dir);
        await mkdir(path, { recursive: true });
        return path;
      });
      dirReady.catch(() => undefined);
      slot = { dir, ids: new Set(), dirReady };
      this.owners.set(owner, slot);
    }
    return slot;
  }

  /** Uploads no session named within `waitingTtl` are deleted. */
  private async sweep(): Promise<void> {
    const now = Date.now();
    for (const [owner, slot] of this.owners) {
      if (!isWaitingOwner(owner)) continue;
      for (const id of slot.ids) {
        const file = this.files.get(id);
        if (file && now - file.created > this.waitingTtl) {
          slot.ids.delete(id);
          this.files.delete(id);
          await rm(join(file.localPath, ".."), { recursive: true, force: true });
        }
      }
      if (slot.ids.size === 0) await this.drop(owner);
    }
  }
}

function tooLarge(limit: number): DaisError {
  return new DaisError("too_large", `The file is larger than this app accepts (${formatBytes(limit)}).`);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}

/** A name for the disk: the cleaned name with anything unusual replaced, never hidden. */
function diskName(name: string): string {
  return name.replace(/[^\w.\- ]+/g, "_").replace(/^[.\s]+/, "_").slice(-120) || "file";
}
