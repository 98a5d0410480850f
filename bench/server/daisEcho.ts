// The Dais side of bench/server: a trivial echo Interface, as a user would write it, in its own
// process. Prints its URL; answers "memory" messages (over IPC) with its memory after a GC.
import { Interface } from "dais";

const limit = process.env.BENCH_LIMIT === "none" ? null : 1;
const { url } = await new Interface({ fn: (text: string) => text, inputs: ["text"], outputs: ["text"], concurrencyLimit: limit }).launch({
  port: 0,
  quiet: true,
  // A benchmark client sends back-to-back runs on one connection; the default (20 frames/s per
  // connection) is sized for people in browsers.
  rateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
  apiRateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
});
process.send?.({ url });
process.on("message", (m) => {
  if (m === "memory") {
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ memory: process.memoryUsage() });
  }
});
