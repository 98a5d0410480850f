import type { FileValueType } from "../../FileData.ts";
import { type SingleFileComponent, type SingleFileProps, singleFile } from "../singleFile.ts";

export interface AudioProps<T extends FileValueType = FileValueType> extends SingleFileProps<T> {
  /** Where a person's audio comes from. Default both: `["upload", "microphone"]`. */
  sources?: ("upload" | "microphone")[];
}

export type AudioComponent<T extends FileValueType = "file"> = SingleFileComponent<"audio", T, AudioProps<T>>;

/**
 * Sound: uploaded or recorded with the microphone, played back in a player. fn receives the file
 * (or, with `type: "buffer"`, its bytes) and may return a path, bytes or a URL.
 * @example audio({ label: "Say something", sources: ["microphone"] })
 */
export function audio<T extends FileValueType = "file">(props: AudioProps<T> = {}): AudioComponent<T> {
  return singleFile("audio", props, "audio/", "an audio file");
}
