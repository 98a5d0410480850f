// Streaming speed in Chromium: a ChatInterface whose bot streams a 5,000-token Markdown reply
// as fast as the server sends it (bench/ui/streamingChat.ts). Measured in the page, two ways:
// - live: from the first partial frame's arrival to the reply's last words being in the DOM.
//   Bounded below by how fast the server sends frames ("frames arrived over").
// - page only: the page's socket holds the stream's frames until the last one has arrived,
//   then hands them to the app one task each, as a socket would; from that moment to the last
//   words in the DOM. This is the page's own speed, whatever the server's.
// The UI as built now runs beside the UI of an older commit (built into a temp folder, served
// by the same app in another process), in alternating slices, so a busy machine slows both alike.
import type { Browser } from "playwright-core";
import { type RunningDemo, startApp } from "../../e2e/demo.ts";
import { buildUiAt } from "./buildUiAt.ts";

export interface StreamingSample {
  /** Tokens per second rendered: tokens / (final text in the DOM - first partial frame). */
  tokensPerSecond: number;
  /** First partial frame to final text in the DOM, ms. */
  ms: number;
  /** First to last frame's arrival, ms: how long the server and socket took, the floor. */
  framesMs: number;
  frames: number;
  /** DOM updates of the chat while streaming (MutationObserver batches). */
  renders: number;
}

export type StreamingMode = "live" | "page only";

export interface StreamingContender {
  name: string;
  samples: Record<StreamingMode, StreamingSample[]>;
  error?: string;
}

const appFile = new URL("./streamingChat.ts", import.meta.url).pathname;

interface Probe {
  frames: number;
  /** When the first partial frame arrived. */
  firstPartial: number;
  /** When the page got the stream: the first partial frame, or the held frames' hand-over. */
  start: number;
  lastFrame: number;
  shown: number;
  renders: number;
}

/** One reply streamed into a fresh page: sends a message and waits for the end of the reply. */
async function sample(browser: Browser, url: string, tokens: number, mode: StreamingMode): Promise<StreamingSample> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    // The page's sockets pass every frame to the app through this probe, which notes arrivals
    // and, for "page only", holds the stream until its last frame.
    await page.addInitScript((hold: boolean) => {
      const probe: Probe = { frames: 0, firstPartial: 0, start: 0, lastFrame: 0, shown: 0, renders: 0 };
      (window as unknown as { probe: Probe }).probe = probe;
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          let app: ((event: MessageEvent) => void) | null = null;
          // Method syntax: tsx would wrap arrow functions here in a helper the page lacks.
          Object.defineProperty(this, "onmessage", {
            get() {
              return app;
            },
            set(h: typeof app) {
              app = h;
            },
          });
          let held: string[] | undefined;
          this.addEventListener("message", (event: MessageEvent) => {
            const data = String(event.data);
            probe.frames++;
            probe.lastFrame = performance.now();
            const partial = data.includes('"partial"');
            if (!probe.firstPartial && partial) probe.firstPartial = probe.start = probe.lastFrame;
            if (hold && partial && !held) held = [];
            if (!held) return app?.call(this, event);
            held.push(data);
            if (!data.startsWith('{"type":"done"')) return;
            // The whole stream is here: hand it over one task per frame, from now.
            const frames = held;
            held = undefined;
            const channel = new MessageChannel();
            let i = 0;
            channel.port1.onmessage = () => app?.call(this, new MessageEvent("message", { data: frames[i++] }));
            probe.start = performance.now();
            for (let k = 0; k < frames.length; k++) channel.port2.postMessage(null);
          });
        }
      };
    }, mode === "page only");
    await page.goto(url);
    const log = page.getByRole("log");
    await log.waitFor();
    await log.evaluate((el) => {
      const probe = (window as unknown as { probe: Probe }).probe;
      new MutationObserver(() => {
        if (probe.shown) return;
        probe.renders++;
        const bots = el.querySelectorAll(".message.bot .markdown");
        if (bots[bots.length - 1]?.lastElementChild?.textContent?.includes("end of reply.")) probe.shown = performance.now();
      }).observe(el, { subtree: true, childList: true, characterData: true });
    });
    await page.getByLabel("Message").fill("Write a long answer.");
    await page.getByLabel("Message").press("Enter");
    await page.waitForFunction(() => (window as unknown as { probe: Probe }).probe.shown > 0, undefined, { timeout: 300_000, polling: 250 });
    const p = await page.evaluate(() => (window as unknown as { probe: Probe }).probe);
    const ms = p.shown - p.start;
    return { tokensPerSecond: (tokens / ms) * 1000, ms, framesMs: p.lastFrame - p.firstPartial, frames: p.frames, renders: p.renders };
  } finally {
    await context.close();
  }
}

/**
 * Streams `tokens`-token replies `reps` times into the UI built now and, when `baseRef` is
 * given, into the UI at that commit, alternating which goes first; one warm-up each.
 */
export async function benchStreaming(browser: Browser, options: { tokens: number; reps: number; baseRef?: string | undefined }): Promise<StreamingContender[]> {
  const modes: StreamingMode[] = ["live", "page only"];
  const env = { BENCH_TOKENS: String(options.tokens) };
  const servers: { name: string; demo: RunningDemo; cleanup?: () => void }[] = [];
  const contenders: StreamingContender[] = [];
  try {
    servers.push({ name: "now (this build)", demo: await startApp(appFile, [], env) });
    if (options.baseRef) {
      const name = `before (${options.baseRef})`;
      try {
        const base = await buildUiAt(options.baseRef);
        servers.push({ name, demo: await startApp(appFile, [], { ...env, BENCH_ASSETS: base.dir }), cleanup: base.remove });
      } catch (e) {
        contenders.push({ name, samples: { live: [], "page only": [] }, error: `could not build: ${String(e).split("\n")[0]}` });
      }
    }
    const live = servers.map((s) => ({ ...s, result: { name: s.name, samples: { live: [], "page only": [] } } as StreamingContender }));
    contenders.unshift(...live.map((s) => s.result));
    for (let rep = -1; rep < options.reps; rep++) {
      const order = rep % 2 === 0 ? live : [...live].reverse();
      for (const s of order) {
        for (const mode of modes) {
          if (s.result.error) continue;
          try {
            const result = await sample(browser, s.demo.url, options.tokens, mode);
            if (rep >= 0) s.result.samples[mode].push(result);
            process.stdout.write(`  ${rep < 0 ? "warm-up" : `rep ${rep + 1}`} ${s.name}, ${mode}: ${result.tokensPerSecond.toFixed(0)} tokens/s\n`);
          } catch (e) {
            s.result.error = String(e).split("\n")[0];
          }
        }
      }
    }
  } finally {
    for (const s of servers) {
      await s.demo.stop();
      s.cleanup?.();
    }
  }
  return contenders;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
