import { describe, expect, it } from "vitest";
import { DaisError } from "../../DaisError.ts";
import type { FileData, FileSource, LocalFile, SessionFiles } from "../../FileData.ts";
import { multimodalTextbox } from "./multimodalTextbox.ts";

const fileOf = (name: string): FileData => ({ path: `AAAAAAAAAAAAAAAAAAAAAA/${name}`, meta: { _type: "gradio.FileData" } });

function refused(f: () => unknown): DaisError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DaisError);
    return e as DaisError;
  }
  throw new Error("not refused");
}

// The session's files, as the server's FileStore hands them out: only paths it gave are known.
const known = new Map<string, LocalFile>([["AAAAAAAAAAAAAAAAAAAAAA/a.png", { path: "/tmp/s/a.png", name: "a.png", size: 3, mimeType: "image/png" }]]);
const files: SessionFiles = {
  local: async (data) => {
    const f = known.get(data.path);
    if (!f) throw new DaisError("invalid_input", "not yours");
    return f;
  },
  read: async () => new Uint8Array([1, 2, 3]),
  store: async (value: FileSource) => ({ path: `BBBBBBBBBBBBBBBBBBBBBB/${typeof value === "string" ? value : "out.bin"}`, url: "gradio_api/file=BBBBBBBBBBBBBBBBBBBBBB/out.bin", meta: { _type: "gradio.FileData" } }),
};

describe("multimodalTextbox", () => {
  it("refuses text past maxLength, more files than maxFiles, and values of the wrong shape", () => {
    const box = multimodalTextbox({ label: "Ask", maxLength: 5, maxFiles: 2 });
    expect(refused(() => box.preprocess({ text: "too long", files: [] })).message).toContain("at most 5 characters");
    expect(refused(() => box.preprocess({ text: "hi", files: [fileOf("a"), fileOf("b"), fileOf("c")] })).message).toContain("at most 2 files");
    for (const bad of ["hi", null, [], { text: 3, files: [] }, { text: "hi", files: [{ path: 7 }] }, { text: "hi", files: {} }]) expect(refused(() => box.preprocess(bad)).code).toBe("invalid_input");
    expect(multimodalTextbox().preprocess({ text: "x", files: Array.from({ length: 10 }, (_, i) => fileOf(String(i))) }).files).toHaveLength(10);
    expect(refused(() => multimodalTextbox().preprocess({ text: "x", files: Array.from({ length: 11 }, (_, i) => fileOf(String(i))) })).message).toContain("at most 10 files");
  });

  it("keeps only what it checks: extra keys dropped, a javascript: URL removed", () => {
    const got = multimodalTextbox().preprocess({ text: "hi", files: [{ ...fileOf("a.png"), url: "javascript:alert(1)" }], extra: "x" });
    expect(got).toEqual({ text: "hi", files: [{ path: fileOf("a.png").path, url: null, orig_name: null, size: null, mime_type: null, meta: { _type: "gradio.FileData" } }] });
  });

  it("hands fn the session's files, or their bytes with type \"buffer\", and refuses a file the session was not given", async () => {
    const wire = multimodalTextbox().preprocess({ text: "look", files: [fileOf("a.png")] });
    expect(await multimodalTextbox().receive(wire, files)).toEqual({ text: "look", files: [known.get(fileOf("a.png").path)] });
    expect(await multimodalTextbox({ type: "buffer" }).receive(wire, files)).toEqual({ text: "look", files: [new Uint8Array([1, 2, 3])] });
    await expect(multimodalTextbox().receive({ text: "", files: [fileOf("other.png")] }, files)).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("as an output takes text, or text and files it stores", async () => {
    const box = multimodalTextbox({ label: "Out" });
    expect(box.postprocess(await box.send("plain", files))).toEqual({ text: "plain", files: [] });
    expect(box.postprocess(await box.send(null, files))).toEqual({ text: "", files: [] });
    const out = box.postprocess(await box.send({ text: "here", files: ["a.txt"] }, files));
    expect(out).toMatchObject({ text: "here", files: [{ path: "BBBBBBBBBBBBBBBBBBBBBB/a.txt" }] });
    await expect(box.send({ text: "x", files: [42 as never] }, files)).rejects.toMatchObject({ code: "invalid_output" });
    await expect(box.send(7 as never, files)).rejects.toMatchObject({ code: "invalid_output" });
  });
});
