import { MultiBar, Presets, type SingleBar } from "cli-progress";
import type { ModelProgress } from "./loadModel.ts";

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * Shows downloads on a terminal: one bar per file on a TTY, one line per file otherwise (logs).
 * Files read from disk or the cache report 100% at once and show nothing.
 * @example const progress = terminalProgress(); await loadModel("causal", { model, onProgress: progress.update }); progress.stop();
 */
export function terminalProgress(stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): { update: (e: ModelProgress) => void; stop: () => void } {
  const tty = stream.isTTY === true;
  let multi: MultiBar | undefined;
  const bars = new Map<string, SingleBar>();
  const announced = new Set<string>();

  const update = (e: ModelProgress) => {
    if (e.status === "progress") {
      const key = `${e.name}/${e.file}`;
      if (!bars.has(key) && !announced.has(key)) {
        if (e.progress >= 100 || e.total === 0) return;
        announced.add(key);
        if (!tty) {
          stream.write(`Downloading ${key} (${mb(e.total)})\n`);
          return;
        }
        multi ??= new MultiBar(
          { stream: stream as NodeJS.WritableStream & { isTTY: boolean }, format: " {file} {bar} {percentage}% | {size}", barsize: 30, hideCursor: true, clearOnComplete: false, autopadding: true },
          Presets.shades_classic,
        );
        bars.set(key, multi.create(e.total, 0, { file: key, size: `${mb(0)} / ${mb(e.total)}` }));
      }
      bars.get(key)?.update(e.loaded, { size: `${mb(e.loaded)} / ${mb(e.total)}` });
    } else if (e.status === "done") {
      const bar = bars.get(`${e.name}/${e.file}`);
      if (bar) bar.update(bar.getTotal());
    }
  };
  const stop = () => {
    multi?.stop();
    multi = undefined;
    bars.clear();
  };
  return { update, stop };
}
