import { describe, expectTypeOf, it } from "vitest";
import { Blocks } from "./Blocks.ts";
import { audio } from "./components/audio/audio.ts";
import { file } from "./components/file/file.ts";
import { image } from "./components/image/image.ts";
import { video } from "./components/video/video.ts";
import type { LocalFile } from "./FileData.ts";
import { Interface } from "./Interface.ts";
import type { PredictArgs, PredictResult } from "./PredictFn.ts";
import type { RunContext } from "./RunContext.ts";

describe("file components give fn typed values", () => {
  it("a file { path, name, size, mimeType } by default, the bytes with type: \"buffer\"", () => {
    expectTypeOf<PredictArgs<["image", "audio", "video", "file"]>>().toEqualTypeOf<[LocalFile | null, LocalFile | null, LocalFile | null, LocalFile | null, RunContext]>();
    const _bytes = image({ type: "buffer" });
    const _sound = audio({ type: "buffer" });
    const _clip = video({ type: "file" });
    expectTypeOf<PredictArgs<[typeof _bytes, typeof _sound, typeof _clip]>>().toEqualTypeOf<[Uint8Array | null, Uint8Array | null, LocalFile | null, RunContext]>();
  });

  it("several files as a list with fileCount: \"multiple\" (or the \"files\" shortcut)", () => {
    const _docs = file({ fileCount: "multiple" });
    const _raw = file({ fileCount: "multiple", type: "buffer" });
    expectTypeOf<PredictArgs<[typeof _docs, typeof _raw, "files"]>>().toEqualTypeOf<[LocalFile[] | null, Uint8Array[] | null, LocalFile[] | null, RunContext]>();
  });

  it("outputs take a path, bytes, a URL or a file fn was given; a number does not fit", () => {
    new Interface({ fn: (f: LocalFile | null) => f, inputs: ["image"], outputs: ["image"] });
    new Interface({ fn: (b: Uint8Array | null) => b ?? "https://example.com/a.png", inputs: [image({ type: "buffer" })], outputs: ["image"] });
    new Interface({ fn: () => ["a.png", [new Uint8Array(3), "a caption"], { image: "b.png", caption: "b" }], inputs: [], outputs: ["gallery"] });
    // @ts-expect-error an image output cannot be a number
    new Interface({ fn: () => 42, inputs: [], outputs: ["image"] });
    expectTypeOf<PredictResult<["gallery"]>>().toMatchTypeOf<unknown[] | null | undefined>();
  });

  it("Blocks handles carry the same types", () => {
    new Blocks((ui) => {
      const photo = ui.image({ type: "buffer" });
      const pics = ui.gallery();
      const docs = ui.file({ fileCount: "multiple" });
      photo.change({ fn: (b: Uint8Array | null, d: LocalFile[] | null) => (b ? [[b, `${d?.length ?? 0} docs`]] : []), inputs: [photo, docs], outputs: [pics] });
      // @ts-expect-error the image is bytes here, not a file
      photo.change({ fn: (f: LocalFile | null) => f?.name ?? "", inputs: [photo], outputs: [ui.textbox()] });
    });
  });
});
