import type { FileComponent } from "../../Component.ts";
import { checkFileList, type FileData, type LocalFile } from "../../FileData.ts";

/** What a multimodal ChatInterface's fn receives as its message: the text and the files sent with it. */
export interface MultimodalMessage {
  text: string;
  files: LocalFile[];
}

/** Files sent with one message: the wire values (shown in the bubble) and the session's files they name. */
export interface Attachments {
  shown: FileData[];
  files: LocalFile[];
}

/** At most this many files go with one message. */
export const maxAttachments = 10;

/**
 * The carrier of a multimodal ChatInterface's attachments: the page uploads the files, then
 * sends their FileData with the message. Each must name one of this session's uploads (the
 * server's `SessionFiles.local` says; a crafted path is refused), and there may be at most
 * `maxAttachments`.
 * @example chatAttachments().preprocess([]) // no files with this message
 */
export function chatAttachments(): FileComponent<"file", Attachments, never, FileData[], { label: string }> {
  return {
    kind: "file",
    props: { label: "Attachments" },
    initial: [],
    preprocess(raw) {
      return checkFileList(raw, "file", this.props, maxAttachments);
    },
    postprocess: () => [],
    async receive(wire, files) {
      const local = await Promise.all(wire.map((f) => files.local(f, "file", this.props)));
      // What the bubble shows is the server's record of each file, not what the page claimed.
      const shown = wire.map((f, i) => ({ ...f, orig_name: local[i]!.name, size: local[i]!.size, mime_type: local[i]!.mimeType }));
      return { shown, files: local };
    },
    send: async () => [],
  };
}
