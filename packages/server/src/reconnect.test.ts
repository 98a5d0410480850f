import { Interface, type RunContext } from "@dais/core";
import { afterEach, describe, expect, it } from "vitest";
import { TestServer } from "./testServer.ts";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** Streams "w0 w1 ... w(n-1) " a word every few ms. */
const streamer = (n: number) =>
  new Interface({
    fn: async function* (_: string, ctx: RunContext) {
      let text = "";
      for (let i = 0; i < n && !ctx.signal.aborted; i++) {
        await new Promise((r) => setTimeout(r, 4));
        text += `w${i} `;
        yield text;
      }
    },
    inputs: ["text"],
    outputs: ["text"],
  });

const expected = (n: number) => Array.from({ length: n }, (_, i) => `w${i} `).join("");

describe("reconnecting", () => {
  it("replays the frames sent while the connection was down, in order, none twice", async () => {
    server = await TestServer.start(streamer(60));
    const first = await server.session();
    first.client.send({ type: "run", id: "s", fn: 0, data: ["go"] });
    await first.client.take((f) => f.type === "partial" && (first.client.output() as string).includes("w5 "));
    // The connection drops mid-stream; the page keeps what it showed and the number of the
    // last frame it saw (taken in the same tick, before any other frame is handled).
    const lastSeq = first.client.lastSeq;
    const shown = { ...first.client.values };
    first.client.socket.terminate();
    // Frames go out while nobody listens (a few, whatever the machine's pace).
    await expect.poll(() => server!.launched.server.runtime.sessions.get(first.welcome.session)!.record.seq, { timeout: 30_000, interval: 5 }).toBeGreaterThan(lastSeq + 3);

    const second = await server.session(first.welcome.session, lastSeq, { values: shown });
    expect(second.welcome).toMatchObject({ resumed: true, replay: true });
    await second.client.next("done", 30_000);
    expect(second.client.output()).toBe(expected(60));
    const seqs = second.client.frames.map((f) => (f as { seq?: number }).seq).filter((s): s is number => s !== undefined);
    expect(seqs[0]).toBe(lastSeq + 1);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it("gives a reloaded page (no last frame) the session as it is, and the run still going", async () => {
    server = await TestServer.start(streamer(40));
    const first = await server.session();
    first.client.send({ type: "run", id: "s", fn: 0, data: ["go"] });
    await first.client.take((f) => f.type === "partial" && (first.client.output() as string).includes("w3 "));
    first.client.socket.terminate();
    const reloaded = await server.session(first.welcome.session);
    expect(reloaded.welcome).toMatchObject({ resumed: true, replay: false, runs: [{ id: "s", fn: 0 }] });
    expect(reloaded.welcome.values?.[reloaded.client.outputId()]).toMatch(/^w0 w1 w2 w3 /);
    await reloaded.client.next("done", 30_000);
    expect(reloaded.client.output()).toBe(expected(40));
  });

  it("falls back to a fresh picture when the missed frames are no longer kept", async () => {
    server = await TestServer.start(streamer(5));
    const { client, welcome } = await server.session();
    await client.run("s", ["go"]);
    const again = await server.session(welcome.session, 999_999);
    expect(again.welcome).toMatchObject({ resumed: true, replay: false, values: { [again.client.outputId()]: expected(5) } });
  });
  it("leaves alone a page's resend of a run the session took in (going, or ended in the replayed log), and runs one it never got, once", async () => {
    server = await TestServer.start(streamer(30));
    const first = await server.session();
    first.client.send({ type: "run", id: "s", fn: 0, data: ["go"] });
    await first.client.take((f) => f.type === "partial" && (first.client.output() as string).includes("w3 "));
    const lastSeq = first.client.lastSeq;
    const shown = { ...first.client.values };
    first.client.socket.terminate();
    const second = await server.session(first.welcome.session, lastSeq, { values: shown });
    expect(second.welcome).toMatchObject({ resumed: true, replay: true });
    // The page heard of "s" already, but a page that had not would resend it: it runs on, once.
    second.client.send({ type: "run", id: "s", fn: 0, data: ["go"], resend: true });
    await second.client.next("done", 30_000);
    second.client.send({ type: "run", id: "s", fn: 0, data: ["go"], resend: true });
    second.client.send({ type: "run", id: "never-got", fn: 0, data: ["go"], resend: true });
    await second.client.take((f) => f.type === "done" && f.id === "never-got", 30_000);
    expect(second.client.frames.filter((f) => f.type === "error")).toEqual([]);
    // "s" ended once (its done was taken above).
    expect(second.client.frames.filter((f) => f.type === "done" && f.id === "s")).toEqual([]);
  });
});
