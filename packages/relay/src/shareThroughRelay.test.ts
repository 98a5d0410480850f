import { afterEach, describe, expect, it } from "vitest";
import { shareThroughRelay } from "./shareThroughRelay.ts";
import { startRelay } from "./startRelay.ts";
import { startTestApp } from "./startTestApp.ts";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** What `run` prints, line by line, stdout and stderr together. */
async function printed<T>(run: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const { log, warn } = console;
  console.log = console.warn = (line: string) => lines.push(line);
  try {
    return { result: await run(), lines };
  } finally {
    Object.assign(console, { log, warn });
  }
}

describe("shareThroughRelay", () => {
  it("prints the public link, which reaches the app until it is closed", async () => {
    const relay = await startRelay({ port: 0, host: "127.0.0.1", quiet: true });
    cleanup.push(relay.close);
    const app = await startTestApp("app");
    cleanup.push(app.stop);
    const { result: shared, lines } = await printed(() => shareThroughRelay(`${relay.url}/?key=${relay.key}`, app.url));
    expect(shared).toBeDefined();
    expect(lines).toEqual([`Public link: ${shared!.url}`]);
    expect(await (await fetch(`${shared!.url}hello`)).text()).toBe("hello from app");
    await shared!.close();
    expect((await fetch(`${shared!.url}hello`)).status).toBe(404);
  });

  it("prints why in one line, without the key, and resolves undefined when the share cannot be made", async () => {
    const relay = await startRelay({ port: 0, host: "127.0.0.1", quiet: true });
    const app = await startTestApp("app");
    cleanup.push(app.stop);
    const wrongKey = await printed(() => shareThroughRelay(`${relay.url}/?key=a-key-that-is-wrong`, app.url));
    expect(wrongKey.result).toBeUndefined();
    expect(wrongKey.lines).toEqual([
      `Could not share through ${relay.url}/: wrong key: the relay refused it (use the link the relay printed, ending in /?key=...). The app keeps running at ${app.url}`,
    ]);
    await relay.close();
    const down = await printed(() => shareThroughRelay(`${relay.url}/?key=${relay.key}`, app.url));
    expect(down.result).toBeUndefined();
    expect(down.lines).toEqual([`Could not share through ${relay.url}/: the relay is unreachable: nothing answers at ${new URL(relay.url).host}. The app keeps running at ${app.url}`]);
    expect(down.lines.join("\n")).not.toContain(relay.key);
  });
});
