import { type BaseProps, type FileComponent, invalidInput, invalidOutput } from "../../Component.ts";
import { checkFileData, checkFileOutput, type FileData, type FileSource, type FileValue, type FileValueType, isFileSource } from "../../FileData.ts";

/** One picture of a gallery on the wire, as Gradio sends it. */
export interface GalleryItem {
  image: FileData;
  caption: string | null;
}

/**
 * One picture fn returns: the file alone, `[file, caption]` (a plain array too, as TypeScript
 * infers `[[bytes, "a cat"]]`), or `{ image, caption }`.
 */
export type GalleryItemOut = FileSource | readonly [FileSource, string | null] | readonly (FileSource | null)[] | { image: FileSource; caption?: string | null };

export interface GalleryProps<T extends FileValueType = FileValueType> extends BaseProps {
  /** What fn receives per picture: the file (the default) or its bytes. */
  type?: T;
  /** Pictures per row. Default 3. */
  columns?: number;
}

export type GalleryComponent<T extends FileValueType = "file"> = FileComponent<
  "gallery",
  { image: FileValue<T>; caption: string | null }[] | null,
  GalleryItemOut[] | null | undefined,
  GalleryItem[] | null,
  GalleryProps<T>
>;

const maxCaption = 10_000;

/**
 * Pictures with captions, in a grid. fn returns a list of files, `[file, caption]` pairs or
 * `{ image, caption }` objects.
 * @example gallery({ label: "Results", columns: 4 })
 */
export function gallery<T extends FileValueType = "file">(props: GalleryProps<T> = {}): GalleryComponent<T> {
  return {
    kind: "gallery",
    props,
    initial: null,
    preprocess(raw) {
      if (raw === null || raw === undefined) return null;
      if (!Array.isArray(raw)) throw invalidInput("gallery", this.props, "a list of pictures", raw);
      return raw.map((item: unknown) => {
        const o = (typeof item === "object" && item !== null ? item : {}) as { image?: unknown; caption?: unknown };
        const caption = o.caption ?? null;
        if (caption !== null && (typeof caption !== "string" || caption.length > maxCaption)) throw invalidInput("gallery", this.props, "a caption of text", caption);
        const image = checkFileData(o.image, "gallery", this.props);
        if (!image) throw invalidInput("gallery", this.props, "a picture in each item", item);
        return { image, caption };
      });
    },
    postprocess(value) {
      if (value === null || value === undefined) return null;
      return value.map((item) => {
        const image = checkFileOutput(item.image, "gallery", this.props);
        if (!image) throw invalidOutput("gallery", this.props, "a picture in each item", item);
        return { image, caption: typeof item.caption === "string" ? item.caption : null };
      });
    },
    async receive(wire, files) {
      if (wire === null) return null;
      return Promise.all(
        wire.map(async ({ image, caption }) => {
          const local = await files.local(image, "gallery", this.props);
          return { image: (this.props.type === "buffer" ? await files.read(local) : local) as FileValue<T>, caption };
        }),
      );
    },
    async send(value, files) {
      if (value === null || value === undefined) return null;
      if (!Array.isArray(value)) throw invalidOutput("gallery", this.props, "a list of pictures", value);
      return Promise.all(
        value.map(async (item: unknown) => {
          const [source, caption] = Array.isArray(item)
            ? [item[0], item[1]]
            : typeof item === "object" && item !== null && "image" in item
              ? [(item as { image: unknown }).image, (item as { caption?: unknown }).caption]
              : [item, null];
          if (!isFileSource(source)) throw invalidOutput("gallery", this.props, "pictures (paths, bytes or URLs)", source);
          return { image: await files.store(source, "gallery", this.props), caption: typeof caption === "string" ? caption : null };
        }),
      );
    },
  };
}
