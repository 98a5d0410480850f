import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import type { AppState } from "../AppState.ts";
import { uploadFiles } from "./uploadFiles.ts";
import type { FileData } from "@dais/core";

/**
 * Where a person gives a component files: a file picker (named by the component's label), a
 * zone that takes a drop, and, when focused, a paste (an image from the clipboard). Uploads
 * them to the session and hands the FileData over; says what it is doing and what went wrong.
 */
export function FileDrop(props: {
  app: AppState;
  /** The component the files fill: runs reading it wait for the upload. */
  component: number;
  domId: string;
  /** The component's label: the picker is named "Upload <label>". */
  label: string;
  accept?: string | undefined;
  multiple?: boolean;
  /** What the zone says: "Drop an image here, paste one, or". */
  hint: string;
  onFiles: (files: FileData[]) => void;
  children?: ComponentChildren;
}) {
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const over = useSignal(false);
  const take = async (list: FileList | File[] | null | undefined) => {
    const files = [...(list ?? [])].filter((f) => accepts(props.accept, f));
    if (files.length === 0) return;
    busy.value = true;
    error.value = null;
    try {
      await props.app.upload(props.component, uploadFiles(props.multiple ? files : files.slice(0, 1), props.app.client.session).then(props.onFiles));
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      busy.value = false;
    }
  };
  return (
    <div
      class={`file-drop${over.value ? " over" : ""}`}
      tabIndex={0}
      aria-describedby={`${props.domId}-hint`}
      onDragOver={(e) => {
        e.preventDefault();
        over.value = true;
      }}
      onDragLeave={() => (over.value = false)}
      onDrop={(e) => {
        e.preventDefault();
        over.value = false;
        void take(e.dataTransfer?.files);
      }}
      onPaste={(e) => {
        const files = [...(e.clipboardData?.items ?? [])].flatMap((item) => (item.kind === "file" ? [item.getAsFile()].filter((f): f is File => f !== null) : []));
        if (files.length === 0) return;
        e.preventDefault();
        void take(files);
      }}
    >
      <span id={`${props.domId}-hint`} class="file-hint">
        {props.hint}
      </span>
      <input id={props.domId} type="file" aria-label={`Upload ${props.label}`} class="file-input" accept={props.accept} multiple={props.multiple} onChange={(e) => {
          const input = e.currentTarget;
          // Cleared once taken, so choosing the same file again is a change too.
          void take(input.files).then(() => (input.value = ""));
        }}
      />
      {props.children}
      {busy.value ? <span class="status" role="status">Uploading…</span> : null}
      {error.value ? (
        <span class="file-error" role="alert">
          {error.value}
        </span>
      ) : null}
    </div>
  );
}

/** Whether a file fits an `accept` list ("image/*", ".pdf"); the server checks again. */
function accepts(accept: string | undefined, file: File): boolean {
  if (!accept) return true;
  return accept.split(",").some((a) => {
    const t = a.trim().toLowerCase();
    if (t.startsWith(".")) return file.name.toLowerCase().endsWith(t);
    if (t.endsWith("/*")) return file.type.startsWith(t.slice(0, -1));
    return file.type === t;
  });
}
