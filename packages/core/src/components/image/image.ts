import type { FileValueType } from "../../FileData.ts";
import { type SingleFileComponent, type SingleFileProps, singleFile } from "../singleFile.ts";

export interface ImageProps<T extends FileValueType = FileValueType> extends SingleFileProps<T> {
  /** Height of the preview, in CSS pixels. Default 320. */
  height?: number;
  /** Whether a shown image offers a Download link. Default true. */
  showDownloadButton?: boolean;
}

export type ImageComponent<T extends FileValueType = "file"> = SingleFileComponent<"image", T, ImageProps<T>>;

/**
 * An image: uploaded, pasted or dropped in, shown with a Download link. fn receives the file
 * (`{ path, name, size, mimeType }`) or, with `type: "buffer"`, its bytes; it may return a path,
 * bytes or a URL.
 * @example image({ label: "Photo", type: "buffer" })
 */
export function image<T extends FileValueType = "file">(props: ImageProps<T> = {}): ImageComponent<T> {
  return singleFile("image", props, "image/", "an image");
}
