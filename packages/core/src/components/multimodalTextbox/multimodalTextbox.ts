import { type BaseProps, type FileComponent, invalidInput, invalidOutput } from "../../Component.ts";
import { checkFileList, checkFileOutput, checkFileType, type FileData, type FileSource, type FileValue, type FileValueType, isFileSource } from "../../FileData.ts";

export interface MultimodalTextboxProps<T extends FileValueType = FileValueType> extends BaseProps {
  placeholder?: string;
  /** Rows the text area shows at first; it grows to `maxLines` as the person types. Default 1. */
  lines?: number;
  /** How many lines the text area may grow to. Default 6. Enter submits, Shift+Enter starts a new line. */
  maxLines?: number;
  /** Longest text accepted from the browser. */
  maxLength?: number;
  /** Most files one value may carry. Default 10. */
  maxFiles?: number;
  /** What the picker offers: extensions (`".pdf"`) or types (`"image/*"`), as `<input accept>`. */
  fileTypes?: string[];
  /** What fn receives per file: the file on the server's disk (`"file"`, the default) or its bytes (`"buffer"`). */
  type?: T;
  /** The text shown at first. */
  value?: string;
}

/** The wire value, as Gradio's MultimodalTextbox sends it: the text and the uploaded files' FileData. */
export interface MultimodalValue {
  text: string;
  files: FileData[];
}

/** What fn receives: the text and each file (`{ path, name, size, mimeType }`, or its bytes with `type: "buffer"`). */
export interface MultimodalInput<T extends FileValueType = "file"> {
  text: string;
  files: FileValue<T>[];
}

/** What fn may return: text alone, or text and files (paths, bytes or URLs). */
export type MultimodalOutput = string | { text?: string; files?: readonly FileSource[] } | null | undefined;

export type MultimodalTextboxComponent<T extends FileValueType = "file"> = FileComponent<"multimodalTextbox", MultimodalInput<T>, MultimodalOutput, MultimodalValue, MultimodalTextboxProps<T>>;

export const defaultMaxFiles = 10;

/**
 * Text plus files, as Gradio's MultimodalTextbox: a text area with an "Attach files" picker.
 * Each file must be one of the session's own uploads (the server's `SessionFiles.local`, as for
 * every file kind), at most `maxFiles` of them, and the text at most `maxLength` characters.
 * @example multimodalTextbox({ label: "Ask about a document", fileTypes: [".pdf"], maxFiles: 3 })
 */
export function multimodalTextbox<T extends FileValueType = "file">(props: MultimodalTextboxProps<T> = {}): MultimodalTextboxComponent<T> {
  return {
    kind: "multimodalTextbox",
    props,
    initial: { text: props.value ?? "", files: [] },
    preprocess(raw) {
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw invalidInput("multimodalTextbox", this.props, "{ text, files }", raw);
      const { text, files } = raw as { text?: unknown; files?: unknown };
      if (typeof text !== "string") throw invalidInput("multimodalTextbox", this.props, "text", text);
      const max = this.props.maxLength;
      if (max !== undefined && text.length > max) throw invalidInput("multimodalTextbox", this.props, `at most ${max} characters`, text);
      return { text, files: checkFileList(files, "multimodalTextbox", this.props, this.props.maxFiles ?? defaultMaxFiles) };
    },
    postprocess(value) {
      // `send` has already stored fn's files: what is left is to check its shape.
      if (typeof value !== "object" || value === null || typeof value.text !== "string" || !Array.isArray(value.files))
        throw invalidOutput("multimodalTextbox", this.props, "{ text, files }", value);
      return { text: value.text, files: value.files.map((f) => checkFileOutput(f, "multimodalTextbox", this.props)).filter((f): f is FileData => f !== null) };
    },
    async receive(wire, files) {
      const buffer = this.props.type === "buffer";
      const got = await Promise.all(
        wire.files.map(async (f) => {
          const local = checkFileType(await files.local(f, "multimodalTextbox", this.props), "multimodalTextbox", this.props);
          return (buffer ? await files.read(local) : local) as FileValue<T>;
        }),
      );
      return { text: wire.text, files: got };
    },
    async send(value, files) {
      if (value === null || value === undefined) return { text: "", files: [] };
      if (typeof value === "string") return { text: value, files: [] };
      if (typeof value !== "object" || (value.text !== undefined && typeof value.text !== "string") || (value.files !== undefined && !Array.isArray(value.files)))
        throw invalidOutput("multimodalTextbox", this.props, "text, or { text, files }", value);
      const stored = await Promise.all(
        (value.files ?? []).map((f) => {
          if (!isFileSource(f)) throw invalidOutput("multimodalTextbox", this.props, "files (paths, bytes or URLs)", f);
          return files.store(f, "multimodalTextbox", this.props);
        }),
      );
      return { text: value.text ?? "", files: stored };
    },
  };
}
