import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./browser.ts";
import { answerLengths, idle, recordAnswerLengths, send, texts, waitForTurns } from "./chatPage.ts";
import { type RunningDemo, startDemo, startProcess } from "./demo.ts";

// Remote testers: a relay in one process, the chat demo in another sharing through it with
// DAIS_SHARE, and a browser that only ever talks to the relay.
const relayScript = fileURLToPath(new URL("fixtures/relay.ts", import.meta.url));

interface RunningRelay {
  /** What an app shares with: `<relay>/?key=<key>`. */
  link: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Runs e2e/fixtures/relay.ts and resolves with the link it prints for apps. */
async function startRelayProcess(): Promise<RunningRelay> {
  const started = await startProcess(relayScript, { ready: /Apps share with: launch\(\{ share: "(\S+)" \}\)/ });
  return { link: started.printed, output: started.output, stop: started.stop };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let relay: RunningRelay;
let demo: RunningDemo;
let browser: Browser;
let publicLink: string;
const stopping: (() => Promise<void>)[] = [];

beforeAll(async () => {
  [relay, browser] = await Promise.all([startRelayProcess(), launchBrowser()]);
  demo = await startDemo("chat", [], { DAIS_SHARE: relay.link });
  publicLink = await demo.waitFor(/Public link: (\S+)/);
});
afterAll(async () => {
  await browser?.close();
  for (const stop of stopping) await stop();
  await demo?.stop();
  await relay?.stop();
});


describe("relay", () => {
  it("serves the chat through the relay's public link only: the answer streams in, a reload keeps the history", async () => {
    const relayOrigin = new URL(relay.link).origin;
    expect(publicLink.startsWith(`${relayOrigin}/s/`)).toBe(true);
    const context = await browser.newContext();
    const page = await context.newPage();
    // Every address the page asks for, HTTP and WebSocket.
    const asked: string[] = [];
    page.on("request", (r) => asked.push(r.url()));
    page.on("websocket", (ws) => asked.push(ws.url()));
    await page.goto(publicLink);
    await page.getByRole("log").waitFor();
    await recordAnswerLengths(page);
    await send(page, "hello from a tester far away, on a train, with a slow phone");
    await idle(page);
    await waitForTurns(page, 2);
    expect(await texts(page)).toEqual(["hello from a tester far away, on a train, with a slow phone", "hello from a tester far away, on a train, with a slow phone"]);
    // It streamed through the tunnel, word by word, not all at once.
    const lengths = await answerLengths(page);
    expect(new Set(lengths).size).toBeGreaterThanOrEqual(4);

    await page.reload();
    await waitForTurns(page, 2);
    expect(await texts(page)).toEqual(["hello from a tester far away, on a train, with a slow phone", "hello from a tester far away, on a train, with a slow phone"]);
    await send(page, "and once more");
    await idle(page);
    await waitForTurns(page, 4);
    expect((await texts(page)).slice(2)).toEqual(["and once more", "and once more"]);

    const wsOrigin = relayOrigin.replace(/^http/, "ws");
    expect(asked.length).toBeGreaterThan(3);
    expect(asked.filter((u) => !u.startsWith(relayOrigin) && !u.startsWith(wsOrigin))).toEqual([]);
    expect(asked.some((u) => u.startsWith(`${wsOrigin}/s/`))).toBe(true);
    // The app saw the turns, so they crossed the tunnel.
    expect(demo.output()).toMatch(/\[chat\] turn 2: streamed/);
    await context.close();
  });

  it("a share that cannot be made says why in one line, and the app keeps answering locally", async () => {
    const port = await closedPort();
    const alone = await startDemo("chat", [], { DAIS_SHARE: `http://127.0.0.1:${port}/?key=no-relay-listens-here` });
    stopping.push(alone.stop);
    const line = `Could not share through http://127.0.0.1:${port}/: the relay is unreachable: nothing answers at 127.0.0.1:${port}. The app keeps running at ${alone.url}`;
    await expect.poll(() => alone.output(), { timeout: 10_000 }).toContain(line);
    expect(alone.output()).not.toContain("no-relay-listens-here");
    expect(alone.output()).not.toContain("Public link");
    const page = await browser.newPage();
    await page.goto(alone.url);
    await page.getByRole("log").waitFor();
    await send(page, "still here");
    await idle(page);
    await waitForTurns(page, 2);
    expect(await texts(page)).toEqual(["still here", "still here"]);
    await page.close();
  });
});
