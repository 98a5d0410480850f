import type { FileData } from "@dais/core";
import type { Signal } from "@preact/signals";
import { useSignal } from "@preact/signals";
import type { AppState } from "../../AppState.ts";
import { fileHref, fileName, formatSize, uploadFiles } from "../uploadFiles.ts";

/** Files in a bubble: images shown, audio and video playable, anything else a download link. */
export function MessageFiles({ files }: { files: readonly FileData[] }) {
  return (
    <div class="message-files">
      {files.map((f) => {
        const type = f.mime_type ?? "";
        const href = fileHref(f);
        const name = fileName(f);
        if (type.startsWith("image/")) return <img key={f.path} class="message-image" src={href} alt={name} loading="lazy" />;
        if (type.startsWith("audio/")) return <audio key={f.path} class="message-audio" src={href} controls aria-label={name} />;
        if (type.startsWith("video/")) return <video key={f.path} class="message-video" src={href} controls aria-label={name} />;
        return (
          <a key={f.path} class="file-link" href={href} download={name}>
            {name} <span class="file-size">{formatSize(f.size)}</span>
          </a>
        );
      })}
    </div>
  );
}

/**
 * The composer's attachments: a picker ("Attach files") and the files uploaded so far as chips
 * with Remove. Files go to the session's upload route
 * when picked; the message then carries their FileData.
 */
export function AttachFiles({ app, component, attached }: { app: AppState; component: number; attached: Signal<FileData[]> }) {
  const busy = useSignal(false);
  const take = async (list: FileList | File[] | null | undefined) => {
    const files = [...(list ?? [])];
    if (files.length === 0) return;
    busy.value = true;
    try {
      await app.upload(
        component,
        uploadFiles(files, app.client.session).then((up) => (attached.value = [...attached.value, ...up])),
      );
    } catch (e) {
      app.error.value = (e as Error).message;
    } finally {
      busy.value = false;
    }
  };
  return (
    <div class="attach">
      <label class="attach-button" title="Attach files">
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round">
          <path d="M21 11l-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7" />
        </svg>
        <input
          type="file"
          multiple
          class="sr-only"
          aria-label="Attach files"
          onChange={(e) => {
            const input = e.currentTarget;
            void take(input.files).then(() => (input.value = ""));
          }}
        />
      </label>
      {busy.value ? (
        <span class="status" role="status">
          Uploading…
        </span>
      ) : null}
      {attached.value.length > 0 ? (
        <ul class="attached" aria-label="Attached files">
          {attached.value.map((f) => (
            <li key={f.path}>
              {fileName(f)}
              <button type="button" class="icon" aria-label={`Remove ${fileName(f)}`} onClick={() => (attached.value = attached.value.filter((g) => g !== f))}>
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
