import { type FileData, safeFileUrl } from "@dais/core";

/**
 * Sends files to the app's upload route (Gradio's, multipart field `files`), naming this tab's
 * session so the files are its own, and returns them as FileData for the component's value.
 * Throws an Error with the server's message (too large, too many) for the component to show.
 */
export async function uploadFiles(files: File[], session: string | undefined): Promise<FileData[]> {
  const form = new FormData();
  for (const f of files) form.append("files", f, f.name);
  const res = await fetch(`gradio_api/upload${session ? `?session=${encodeURIComponent(session)}` : ""}`, { method: "POST", body: form });
  const body = (await res.json().catch(() => null)) as string[] | { detail?: string } | null;
  if (!res.ok || !Array.isArray(body)) throw new Error((body && !Array.isArray(body) && body.detail) || `The upload failed (${res.status}).`);
  return body.map((path, i) => ({
    path,
    url: fileHref({ path, meta: { _type: "gradio.FileData" } }),
    orig_name: files[i]?.name ?? null,
    size: files[i]?.size ?? null,
    mime_type: files[i]?.type || null,
    meta: { _type: "gradio.FileData" },
  }));
}

/** Where the page loads a file from: its URL when that is one the page may load, else the file route. */
export function fileHref(f: FileData): string {
  if (typeof f.url === "string" && safeFileUrl(f.url)) return f.url;
  return `gradio_api/file=${f.path.split("/").map(encodeURIComponent).join("/")}`;
}

/** The name to show and to download a file under. */
export function fileName(f: FileData): string {
  return f.orig_name || f.path.split("/").pop() || "file";
}

/** `1.2 MB`, for the file list. */
export function formatSize(n: number | null | undefined): string {
  if (typeof n !== "number") return "";
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

/** Whether a value is a FileData (the page trusts nothing it is shown). */
export function asFileData(v: unknown): FileData | null {
  return typeof v === "object" && v !== null && typeof (v as FileData).path === "string" ? (v as FileData) : null;
}
