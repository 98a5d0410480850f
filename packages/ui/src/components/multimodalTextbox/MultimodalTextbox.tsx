import { defaultMaxFiles, type FileData } from "@dais/core";
import { useSignal } from "@preact/signals";
import { useLayoutEffect, useRef } from "preact/hooks";
import { addStyles } from "../../addStyles.ts";
import type { RendererProps } from "../../Renderer.ts";
import { Field } from "../Field.tsx";
import { asFileData, fileHref, fileName, formatSize, uploadFiles } from "../uploadFiles.ts";
import styles from "./multimodalTextbox.css";

addStyles(styles);

/** The value as the page trusts it: text and the FileData entries, whatever the frame held. */
function read(v: unknown): { text: string; files: FileData[] } {
  const o = (typeof v === "object" && v !== null ? v : {}) as { text?: unknown; files?: unknown };
  return { text: typeof o.text === "string" ? o.text : "", files: (Array.isArray(o.files) ? o.files.map(asFileData) : []).filter((f): f is FileData => f !== null) };
}

/**
 * Text plus files: a text area that grows (Enter submits, Shift+Enter starts a new line), an
 * "Attach files" picker (a paste of files works too) that uploads to the session, and the
 * attached files listed with Remove. The value is `{ text, files }`, as Gradio's.
 */
export function MultimodalTextbox({ config, value, interactive, domId, onSubmit, app }: RendererProps<"multimodalTextbox">) {
  const p = config.props;
  const label = p.label ?? "Message";
  const { text, files } = read(value.value);
  const maxFiles = p.maxFiles ?? defaultMaxFiles;
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const maxLines = Math.max(p.lines ?? 1, p.maxLines ?? 6);
  // Fit the height to the text, also when the app sets it (an output, or cleared after a run).
  useLayoutEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${el.scrollHeight + el.offsetHeight - el.clientHeight}px`;
  }, [text]);
  const attach = async (list: FileList | File[] | null | undefined) => {
    const picked = [...(list ?? [])];
    if (picked.length === 0) return;
    error.value = null;
    if (files.length + picked.length > maxFiles) {
      error.value = `At most ${maxFiles} files.`;
      return;
    }
    busy.value = true;
    try {
      await app.upload(
        config.id,
        uploadFiles(picked, app.client.session).then((uploaded) => {
          const now = read(value.value);
          value.value = { text: now.text, files: [...now.files, ...uploaded] };
        }),
      );
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      busy.value = false;
    }
  };
  return (
    <Field label={label} domId={domId} info={p.info}>
      <div class="mm-row">
        <textarea
          ref={area}
          id={domId}
          class="input grows"
          rows={p.lines ?? 1}
          placeholder={p.placeholder}
          readOnly={!interactive}
          value={text}
          maxLength={p.maxLength}
          style={{ maxHeight: `calc(${maxLines * 1.5}em + 18px)` }}
          aria-description={interactive ? "Enter sends, Shift+Enter starts a new line" : undefined}
          onInput={(e) => (value.value = { text: e.currentTarget.value, files: read(value.value).files })}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing && interactive) {
              e.preventDefault();
              onSubmit();
            }
          }}
          onPaste={(e) => {
            if (!interactive) return;
            const pasted = [...(e.clipboardData?.items ?? [])].flatMap((item) => (item.kind === "file" ? [item.getAsFile()].filter((f): f is File => f !== null) : []));
            if (pasted.length === 0) return;
            e.preventDefault();
            void attach(pasted);
          }}
        />
        {interactive ? (
          <label class="mm-attach">
            Attach files
            <input
              type="file"
              multiple={maxFiles > 1}
              class="sr-only"
              aria-label={`Attach files to ${label}`}
              accept={p.fileTypes?.join(",")}
              onChange={(e) => {
                const input = e.currentTarget;
                // Cleared once taken, so choosing the same file again attaches it again.
                void attach(input.files).then(() => (input.value = ""));
              }}
            />
          </label>
        ) : null}
      </div>
      {files.length > 0 ? (
        <ul class="file-list mm-files" aria-label={`Files attached to ${label}`}>
          {files.map((f) => (
            <li key={f.path}>
              <a class="file-link" href={fileHref(f)} download={fileName(f)}>
                {fileName(f)}
              </a>
              <span class="file-size">{formatSize(f.size)}</span>
              {interactive ? (
                <button type="button" aria-label={`Remove ${fileName(f)}`} onClick={() => (value.value = { text: read(value.value).text, files: read(value.value).files.filter((g) => g.path !== f.path) })}>
                  Remove
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {busy.value ? (
        <span class="mm-status" role="status">
          Uploading…
        </span>
      ) : null}
      {error.value ? (
        <span class="file-error" role="alert">
          {error.value}
        </span>
      ) : null}
    </Field>
  );
}
