import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type Cluster, startCluster } from "./scale/startCluster.ts";
import { establishedTo } from "./scale/establishedTo.ts";

// The scale tests' balancer on its own: Debian's nginx with deploy/'s config in front of three
// `dais run` processes (each on its own here, no Redis), checked from outside with real sockets.
const app = fileURLToPath(new URL("fixtures/scaleChat.ts", import.meta.url));
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ app, webs: 3, redis: false });
});
afterAll(async () => {
  await cluster?.stop();
});

/** A WebSocket to the app through the balancer, open. */
async function socket(): Promise<WebSocket> {
  const ws = new WebSocket(`${cluster.url.replace(/^http/, "ws")}ws`);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return ws;
}

/** Closes sockets and waits until the web processes have seen them go. */
async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(sockets.map((ws) => new Promise((resolve) => (ws.once("close", resolve), ws.close()))));
  await expect.poll(() => cluster.webs.reduce((n, w) => n + establishedTo(w.port), 0)).toBe(0);
}

const perWeb = () => cluster.webs.map((w) => establishedTo(w.port));

describe("the balancer (nginx, deploy/nginxConfig.ts)", () => {
  it("serves the page and its files through one address", async () => {
    const page = await fetch(cluster.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/^<!doctype html>/i);
    const config = (await (await fetch(`${cluster.url}config?format=dais`)).json()) as { title: string };
    expect(config.title).toBe("Scale chat");
  });

  it("spreads WebSockets round robin over the three web processes, with no stickiness", async () => {
    const sockets: WebSocket[] = [];
    for (let i = 0; i < 6; i++) sockets.push(await socket());
    // Six upgrades one after another from one client: two on each process.
    expect(perWeb()).toEqual([2, 2, 2]);
    await closeAll(sockets);
  });

  it("passes the upgrade through: the app's frames arrive over the balancer's socket", async () => {
    const ws = await socket();
    const frames: { type: string; id?: string }[] = [];
    const done = new Promise<void>((resolve) =>
      ws.on("message", (data) => {
        const frame = JSON.parse(data.toString()) as { type: string; id?: string };
        frames.push(frame);
        if (frame.type === "done" && frame.id === "r1") resolve();
      }),
    );
    ws.send(JSON.stringify({ type: "hello" }));
    ws.send(JSON.stringify({ type: "run", id: "r1", fn: 0, data: ["/slow 8"] }));
    await done;
    expect(frames[0]?.type).toBe("welcome");
    // Streamed: the partial frames came one by one, not buffered into the end.
    expect(frames.filter((f) => f.type === "partial").length).toBeGreaterThan(1);
    await closeAll([ws]);
  });

  it("a web process killed with SIGKILL: new connections go to the others at once; restarted on its port, it gets its share back", async () => {
    await cluster.killWeb(1);
    const sockets: WebSocket[] = [];
    for (let i = 0; i < 6; i++) sockets.push(await socket());
    const [a, dead, c] = perWeb();
    expect(dead).toBe(0);
    expect((a ?? 0) + (c ?? 0)).toBe(6);
    await closeAll(sockets);

    await cluster.restartWeb(1);
    // nginx leaves a failed process out for fail_timeout, then tries it again: connect until one lands there.
    await expect
      .poll(
        async () => {
          const ws = await socket();
          const landed = establishedTo(cluster.webs[1]!.port);
          ws.close();
          return landed;
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBeGreaterThan(0);
  });
});
