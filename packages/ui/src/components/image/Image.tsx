import type { RendererProps } from "../../Renderer.ts";
import { Field } from "../Field.tsx";
import { FileDrop } from "../FileDrop.tsx";
import { FilePreview } from "../FilePreview.tsx";
import { asFileData, fileHref, fileName } from "../uploadFiles.ts";

/** An image: a preview with Download (and Remove, when editable); upload, drop or paste to set it. */
export function Image({ config, value, interactive, domId, app }: RendererProps<"image">) {
  const p = config.props;
  const label = p.label ?? "Image";
  const file = asFileData(value.value);
  return (
    <Field label={label} domId={domId} info={p.info} as="div">
      <div class="file-field" role="group" aria-labelledby={`${domId}-label`}>
      <FilePreview file={file} label={label} interactive={interactive} empty="No image" download={p.showDownloadButton !== false} onRemove={() => (value.value = null)}>
        {file ? <img src={fileHref(file)} alt={`${label}: ${fileName(file)}`} style={{ maxHeight: `${p.height ?? 320}px` }} /> : null}
      </FilePreview>
      {interactive && !file ? <FileDrop app={app} component={config.id} domId={domId} label={label} accept="image/*" hint="Drop an image here, paste one, or choose a file:" onFiles={([f]) => (value.value = f ?? null)} /> : null}
      </div>
    </Field>
  );
}
