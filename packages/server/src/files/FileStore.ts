/** One stored file, as the server knows it (never as a browser describes it). */
export interface StoredFile {
  /** 128 random bits, base64url: the part of the wire path that finds the file. */
  readonly id: string;
  /** The session it belongs to, or `upload:<visitor>` while an upload waits for a session to name it. */
  owner: string;
  /** Its name as uploaded or as fn named it (cleaned of path separators and control characters). */
  readonly name: string;
  readonly size: number;
  readonly mimeType: string;
  /** Where it is on disk. */
  localPath: string;
  readonly created: number;
}

export interface FileMeta {
  name: string;
  mimeType?: string | undefined;
}

/**
 * Where a session's files live: uploads, fn's outputs, and what the page fetches. The runtime
 * owns one; the disk store keeps a folder per session under a temp folder, and a store shared by
 * several processes (Redis, object storage) can take its place behind this interface.
 */
export interface FileStore {
  /** Largest file accepted, in bytes. */
  readonly maxFileSize: number;
  /**
   * Streams one file into the owner's folder, counting bytes as they come: past `maxFileSize`
   * (or the owner's file count) it stops reading, keeps nothing and rejects with a `too_large`
   * DaisError.
   */
  put(owner: string, source: AsyncIterable<Uint8Array>, meta: FileMeta): Promise<StoredFile>;
  /** The file a wire path (`<id>/<name>`) names, whoever owns it; undefined for anything else. */
  find(path: string): StoredFile | undefined;
  /** The file stored at a path on disk (one fn was given, returned as its output). */
  atLocalPath(localPath: string): StoredFile | undefined;
  /** Hands a waiting upload to the session that named it first. */
  claim(file: StoredFile, owner: string): Promise<void>;
  /** Deletes every file of an owner (its session ended). */
  drop(owner: string): Promise<void>;
  /** Deletes everything (the server stops). */
  close(): Promise<void>;
}

/** The path a file has on the wire, and the URL (relative to the app) that serves it. */
export function wirePath(file: StoredFile): string {
  return `${file.id}/${file.name}`;
}

export function fileUrl(file: StoredFile): string {
  return `gradio_api/file=${file.id}/${encodeURIComponent(file.name)}`;
}

/** Owners of uploads that came without a session (Gradio's client uploads before it joins). */
export function isWaitingOwner(owner: string): boolean {
  return owner.startsWith("upload:");
}
