import type { RendererProps } from "../../Renderer.ts";
import { Field } from "../Field.tsx";
import { FileDrop } from "../FileDrop.tsx";
import { FilePreview } from "../FilePreview.tsx";
import { asFileData, fileHref, fileName } from "../uploadFiles.ts";

/** A video in a player, with Download; upload or drop one to set it. */
export function Video({ config, value, interactive, domId, app }: RendererProps<"video">) {
  const p = config.props;
  const label = p.label ?? "Video";
  const file = asFileData(value.value);
  return (
    <Field label={label} domId={domId} info={p.info} as="div">
      <div class="file-field" role="group" aria-labelledby={`${domId}-label`}>
      <FilePreview file={file} label={label} interactive={interactive} empty="No video" onRemove={() => (value.value = null)}>
        {file ? <video controls src={fileHref(file)} aria-label={`${label}: ${fileName(file)}`} style={{ maxHeight: `${p.height ?? 320}px` }} /> : null}
      </FilePreview>
      {interactive && !file ? <FileDrop app={app} component={config.id} domId={domId} label={label} accept="video/*" hint="Drop a video here or choose a file:" onFiles={([f]) => (value.value = f ?? null)} /> : null}
      </div>
    </Field>
  );
}
