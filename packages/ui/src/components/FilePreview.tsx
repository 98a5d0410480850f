import type { FileData } from "@dais/core";
import type { ComponentChildren } from "preact";
import { fileHref, fileName } from "./uploadFiles.ts";

/**
 * One file as the single-file kinds (image, audio, video) show it: the media element given as
 * children, then its Download link and, where the person may change it, Remove; or, with no
 * file on a read-only component, what is missing ("No image").
 */
export function FilePreview(props: { file: FileData | null | undefined; label: string; interactive: boolean; empty: string; download?: boolean; onRemove: () => void; children?: ComponentChildren }) {
  const { file, label } = props;
  if (!file) return props.interactive ? null : <div class="file-empty">{props.empty}</div>;
  return (
    <figure class="file-preview">
      {props.children}
      <figcaption class="file-actions">
        {props.download === false ? null : (
          <a class="file-link" href={fileHref(file)} download={fileName(file)}>
            Download {fileName(file)}
          </a>
        )}
        {props.interactive ? (
          <button type="button" onClick={props.onRemove} aria-label={`Remove ${fileName(file)} from ${label}`}>
            Remove
          </button>
        ) : null}
      </figcaption>
    </figure>
  );
}
