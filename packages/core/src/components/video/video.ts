import type { FileValueType } from "../../FileData.ts";
import { type SingleFileComponent, type SingleFileProps, singleFile } from "../singleFile.ts";

export interface VideoProps<T extends FileValueType = FileValueType> extends SingleFileProps<T> {
  /** Height of the player, in CSS pixels. Default 320. */
  height?: number;
}

export type VideoComponent<T extends FileValueType = "file"> = SingleFileComponent<"video", T, VideoProps<T>>;

/**
 * A video: uploaded, played in a player. fn receives the file (or, with `type: "buffer"`, its
 * bytes) and may return a path, bytes or a URL.
 * @example video({ label: "Clip" })
 */
export function video<T extends FileValueType = "file">(props: VideoProps<T> = {}): VideoComponent<T> {
  return singleFile("video", props, "video/", "a video");
}
