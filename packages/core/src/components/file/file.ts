import { type BaseProps, type FileComponent, invalidInput, invalidOutput } from "../../Component.ts";
import { checkFileData, checkFileOutput, checkFileType, type FileData, type FileSource, type FileValue, type FileValueType, isFileSource } from "../../FileData.ts";

export type FileCount = "single" | "multiple";

export interface FileProps<T extends FileValueType = FileValueType, N extends FileCount = FileCount> extends BaseProps {
  /** What fn receives per file: the file on the server's disk (`"file"`, the default) or its bytes (`"buffer"`). */
  type?: T;
  /** One file (the default) or a list of them. */
  fileCount?: N;
  /** What the picker offers: extensions (`".pdf"`) or types (`"image/*"`), as `<input accept>`. */
  fileTypes?: string[];
}

type Many<N extends FileCount, V> = N extends "multiple" ? V[] : V;
export type FileComponentOf<T extends FileValueType = "file", N extends FileCount = "single"> = FileComponent<
  "file",
  Many<N, FileValue<T>> | null,
  // As an output, one file or a list whatever fileCount says: a list is shown as a list.
  FileSource | readonly FileSource[] | null | undefined,
  Many<N, FileData> | null,
  FileProps<T, N>
>;

/**
 * Any file, one or several (`fileCount: "multiple"`), shown as download links. fn receives each
 * file (`{ path, name, size, mimeType }`) or, with `type: "buffer"`, its bytes; it may return
 * paths, bytes or URLs.
 * @example file({ label: "Documents", fileCount: "multiple", fileTypes: [".pdf", ".txt"] })
 */
export function file<T extends FileValueType = "file", N extends FileCount = "single">(props: FileProps<T, N> = {}): FileComponentOf<T, N> {
  const many = () => props.fileCount === "multiple";
  type Wire = Many<N, FileData> | null;
  return {
    kind: "file",
    props,
    initial: null,
    preprocess(raw) {
      if (raw === null || raw === undefined) return null;
      if (!many()) return checkFileData(raw, "file", this.props) as Wire;
      if (!Array.isArray(raw)) throw invalidInput("file", this.props, "a list of files", raw);
      return raw.map((f) => checkFileData(f, "file", this.props)).filter((f) => f !== null) as Wire;
    },
    postprocess(value) {
      if (value === null || value === undefined) return null;
      if (Array.isArray(value)) return value.map((f) => checkFileOutput(f, "file", this.props)).filter((f) => f !== null) as Wire;
      return checkFileOutput(value, "file", this.props) as Wire;
    },
    async receive(wire, files) {
      if (wire === null) return null;
      const one = async (f: FileData) => {
        const local = checkFileType(await files.local(f, "file", this.props), "file", this.props);
        return (this.props.type === "buffer" ? await files.read(local) : local) as FileValue<T>;
      };
      return (Array.isArray(wire) ? await Promise.all(wire.map(one)) : await one(wire as FileData)) as Many<N, FileValue<T>>;
    },
    async send(value, files) {
      if (value === null || value === undefined) return null;
      const one = (f: unknown) => {
        if (!isFileSource(f)) throw invalidOutput("file", this.props, "a file (a path, bytes or a URL)", f);
        return files.store(f, "file", this.props);
      };
      // A list is always shown as a list (a single file as itself), whatever fileCount says.
      return (Array.isArray(value) ? await Promise.all(value.map(one)) : await one(value)) as Wire;
    },
  };
}
