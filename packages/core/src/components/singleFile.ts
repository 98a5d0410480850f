import { type BaseProps, type FileComponent, invalidOutput, nameOf } from "../Component.ts";
import { DaisError } from "../DaisError.ts";
import { checkFileData, checkFileOutput, type FileData, type FileSource, type FileValue, type FileValueType, isFileSource } from "../FileData.ts";

/** Props of every kind that holds one file. */
export interface SingleFileProps<T extends FileValueType = FileValueType> extends BaseProps {
  /** What fn receives: the file on the server's disk (`"file"`, the default) or its bytes (`"buffer"`). */
  type?: T;
}

export type SingleFileComponent<K extends string, T extends FileValueType, P extends SingleFileProps<T>> = FileComponent<K, FileValue<T> | null, FileSource | null | undefined, FileData | null, P>;

/**
 * The shared body of image, audio and video: one file or nothing, whose type must start with
 * `mimePrefix` ("image/") when it comes in, so an "image" input never hands fn a page of HTML.
 */
export function singleFile<K extends string, T extends FileValueType, P extends SingleFileProps<T>>(kind: K, props: P, mimePrefix: string, expected: string): SingleFileComponent<K, T, P> {
  return {
    kind,
    props,
    initial: null,
    preprocess(raw) {
      return checkFileData(raw, kind, this.props);
    },
    postprocess(value) {
      return checkFileOutput(value, kind, this.props);
    },
    async receive(wire, files) {
      if (wire === null) return null;
      const local = await files.local(wire, kind, this.props);
      if (!local.mimeType.startsWith(mimePrefix)) throw new DaisError("invalid_input", `${nameOf(kind, this.props)} expects ${expected}, got a file of type ${local.mimeType}.`);
      return ((this.props.type ?? "file") === "buffer" ? await files.read(local) : local) as FileValue<T>;
    },
    async send(value, files) {
      if (value === null || value === undefined) return null;
      if (!isFileSource(value)) throw invalidOutput(kind, this.props, `${expected} (a path, bytes or a URL)`, value);
      return files.store(value, kind, this.props);
    },
  };
}
