import { describe, expect, it } from "vitest";
import { checkFileData, checkFileType, isFileData, type LocalFile, safeFileUrl } from "./FileData.ts";
import { DaisError } from "./DaisError.ts";

describe("FileData from a browser", () => {
  const base = { path: "AAAAAAAAAAAAAAAAAAAAAA/a.png", meta: { _type: "gradio.FileData" as const } };

  it("keeps only what it knows, and a URL only if the page may load it", () => {
    // The value is shown back to the page: a crafted `javascript:` URL must not come back as a link.
    for (const url of ["javascript:alert(1)", "data:text/html,<script>1</script>", "//evil.example/x.png", "vbscript:x"]) expect(checkFileData({ ...base, url }, "image", {})?.url, url).toBeNull();
    for (const url of ["gradio_api/file=AAAAAAAAAAAAAAAAAAAAAA/a.png", "https://example.com/a.png", "/demo/gradio_api/file=x/a.png"]) expect(checkFileData({ ...base, url }, "image", {})?.url, url).toBe(url);
    expect(checkFileData({ ...base, extra: { deep: [1] } }, "image", {})).toEqual({ ...base, url: null, orig_name: null, size: null, mime_type: null });
  });

  it("refuses what is not a FileData, naming the component", () => {
    for (const bad of ["/etc/passwd", { path: "" }, { path: "x".repeat(2000) }, { path: "a", meta: { _type: "other" } }, { path: "a", size: "big" }, [base]]) {
      expect(isFileData(bad)).toBe(false);
      expect(() => checkFileData(bad, "image", { label: "Photo" })).toThrow(DaisError);
      expect(() => checkFileData(bad, "image", { label: "Photo" })).toThrow(/"Photo" expects a file/);
    }
    expect(checkFileData(null, "image", {})).toBeNull();
  });

  it("safeFileUrl allows the app's file route and web addresses only", () => {
    expect(safeFileUrl("gradio_api/file=x")).toBe(true);
    expect(safeFileUrl("JaVaScRiPt:alert(1)")).toBe(false);
  });
});

describe("fileTypes", () => {
  const f = (name: string, mimeType: string): LocalFile => ({ path: `/tmp/s/${name}`, name, size: 1, mimeType });
  const takes = (types: string[] | undefined, file: LocalFile) => {
    try {
      return checkFileType(file, "file", { label: "Docs", fileTypes: types }) === file;
    } catch (e) {
      expect(e).toMatchObject({ code: "invalid_input" });
      expect((e as DaisError).message).toContain('"Docs" takes only');
      return false;
    }
  };

  it("takes an extension in any case, a type's family, a category or the exact type; no list takes all", () => {
    expect(takes([".pdf"], f("A.PDF", "application/octet-stream"))).toBe(true);
    expect(takes([".pdf"], f("a.pdf.exe", "application/pdf"))).toBe(false);
    expect(takes(["image/*"], f("x", "image/png"))).toBe(true);
    expect(takes(["image/*"], f("x.png", "text/html"))).toBe(false);
    expect(takes(["audio"], f("x", "audio/ogg; codecs=opus"))).toBe(true);
    expect(takes(["audio"], f("x", "audiox/ogg"))).toBe(false);
    expect(takes(["text/csv"], f("x", "TEXT/CSV"))).toBe(true);
    expect(takes(["text/csv"], f("x", "text/csvx"))).toBe(false);
    expect(takes(undefined, f("x", "anything/at-all"))).toBe(true);
    expect(takes([], f("x", "anything/at-all"))).toBe(true);
  });
});
