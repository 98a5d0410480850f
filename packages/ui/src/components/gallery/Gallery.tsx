import type { GalleryItem } from "@dais/core";
import type { RendererProps } from "../../Renderer.ts";
import { Field } from "../Field.tsx";
import { FileDrop } from "../FileDrop.tsx";
import { asFileData, fileHref, fileName } from "../uploadFiles.ts";

/** Pictures in a grid, each with its caption and a link to the full image. */
export function Gallery({ config, value, interactive, domId, app }: RendererProps<"gallery">) {
  const p = config.props;
  const label = p.label ?? "Gallery";
  const items = (Array.isArray(value.value) ? (value.value as unknown[]) : []).flatMap((item) => {
    const image = asFileData((item as GalleryItem | null)?.image);
    const caption = (item as GalleryItem).caption;
    return image ? [{ image, caption: typeof caption === "string" ? caption : null }] : [];
  });
  return (
    <Field label={label} domId={domId} info={p.info} as="div">
      <div class="file-field" role="group" aria-labelledby={`${domId}-label`}>
      {items.length > 0 ? (
        <ul class="gallery" aria-label={label} style={{ gridTemplateColumns: `repeat(${Math.max(1, Math.min(8, p.columns ?? 3))}, minmax(0, 1fr))` }}>
          {items.map(({ image, caption }, i) => (
            <li key={image.path}>
              <figure>
                <a href={fileHref(image)} target="_blank" rel="noopener" aria-label={`Open picture ${i + 1}${caption ? `: ${caption}` : ""}`}>
                  <img src={fileHref(image)} alt={caption ?? fileName(image)} loading="lazy" />
                </a>
                {caption ? <figcaption dir="auto">{caption}</figcaption> : null}
              </figure>
            </li>
          ))}
        </ul>
      ) : interactive ? null : (
        <div class="file-empty">
          No pictures
        </div>
      )}
      {interactive ? (
        <FileDrop
          app={app}
          component={config.id}
          domId={domId}
          label={label}
          accept="image/*"
          multiple
          hint="Drop pictures here, paste one, or choose them:"
          onFiles={(added) => (value.value = [...items, ...added.map((image) => ({ image, caption: null }))])}
        />
      ) : null}
      </div>
    </Field>
  );
}
