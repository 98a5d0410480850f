import type { FileData } from "@dais/core";
import type { RendererProps } from "../../Renderer.ts";
import { Field } from "../Field.tsx";
import { FileDrop } from "../FileDrop.tsx";
import { asFileData, fileHref, fileName, formatSize } from "../uploadFiles.ts";

/** One file or several: a list of download links (with Remove, when editable) and a picker. */
export function FileList({ config, value, interactive, domId, app }: RendererProps<"file">) {
  const p = config.props;
  const label = p.label ?? "File";
  const multiple = p.fileCount === "multiple";
  const raw = value.value;
  const files = (Array.isArray(raw) ? raw.map(asFileData) : [asFileData(raw)]).filter((f): f is FileData => f !== null);
  const remove = (f: FileData) => {
    const left = files.filter((g) => g !== f);
    value.value = multiple ? (left.length > 0 ? left : null) : null;
  };
  return (
    <Field label={label} domId={domId} info={p.info} as="div">
      <div class="file-field" role="group" aria-labelledby={`${domId}-label`}>
      {files.length > 0 ? (
        <ul class="file-list" aria-label={label}>
          {files.map((f) => (
            <li key={f.path}>
              <a class="file-link" href={fileHref(f)} download={fileName(f)}>
                {fileName(f)}
              </a>
              <span class="file-size">{formatSize(f.size)}</span>
              {interactive ? (
                <button type="button" onClick={() => remove(f)} aria-label={`Remove ${fileName(f)}`}>
                  Remove
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : interactive ? null : (
        <div class="file-empty">
          No file
        </div>
      )}
      {interactive && (multiple || files.length === 0) ? (
        <FileDrop
          app={app}
          component={config.id}
          domId={domId}
          label={label}
          accept={p.fileTypes?.join(",")}
          multiple={multiple}
          hint={multiple ? "Drop files here or choose them:" : "Drop a file here or choose one:"}
          onFiles={(added) => (value.value = multiple ? [...files, ...added] : (added[0] ?? null))}
        />
      ) : null}
      </div>
    </Field>
  );
}
