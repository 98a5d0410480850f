import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { terminalProgress } from "./terminalProgress.ts";

function sink(isTTY: boolean) {
  let text = "";
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
    { isTTY, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true },
  );
  return { stream, text: () => text };
}

const name = "Xenova/DialoGPT-small";

describe("terminalProgress", () => {
  it("draws a bar per file being downloaded on a terminal, up to 100%", () => {
    const out = sink(true);
    const progress = terminalProgress(out.stream);
    progress.update({ status: "initiate", name, file: "onnx/model.onnx" });
    progress.update({ status: "progress", name, file: "onnx/model.onnx", progress: 10, loaded: 50e6, total: 500e6 });
    progress.update({ status: "progress", name, file: "onnx/model.onnx", progress: 100, loaded: 500e6, total: 500e6 });
    progress.update({ status: "done", name, file: "onnx/model.onnx" });
    progress.stop();
    expect(out.text()).toContain("Xenova/DialoGPT-small/onnx/model.onnx");
    expect(out.text()).toContain("100%");
    expect(out.text()).toContain("500.0 MB / 500.0 MB");
  });

  it("writes one line per download into a log, and nothing for files already on disk", () => {
    const out = sink(false);
    const progress = terminalProgress(out.stream);
    progress.update({ status: "progress", name, file: "config.json", progress: 100, loaded: 900, total: 900 });
    for (const loaded of [1e6, 2e6, 3e6]) progress.update({ status: "progress", name, file: "onnx/model.onnx", progress: (loaded / 3e6) * 100, loaded, total: 3e6 });
    progress.stop();
    expect(out.text()).toBe("Downloading Xenova/DialoGPT-small/onnx/model.onnx (3.0 MB)\n");
  });
});
