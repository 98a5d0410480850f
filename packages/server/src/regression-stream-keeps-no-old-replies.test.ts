import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Interface } from "@dais/core";
import { describe, expect, it } from "vitest";
import { MemorySessionStore } from "./MemorySessionStore.ts";
import { Runtime } from "./Runtime.ts";
import { TestClient } from "./testClient.ts";

const gc = (): (() => void) => {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
};

// A streaming fn yields the whole reply so far each time. The runtime once kept every version
// of it until the run ended (reactions left on a long-lived promise by Promise.race, and op
// strings that were views into each version): a 10 MB reply streamed in 200 steps held about
// 1 GB. Now what a run holds is the reply once, plus its frames' appended text.
describe("a long stream", () => {
  it("holds its reply about once, not once per step", async () => {
    const collect = gc();
    const steps = 200;
    const chunk = "y".repeat(50_000);
    let half = () => {};
    const halfway = new Promise<void>((r) => (half = r));
    let go = () => {};
    const resume = new Promise<void>((r) => (go = r));
    const runtime = new Runtime(
      new Interface({
        fn: async function* () {
          let text = "";
          for (let i = 0; i < steps; i++) {
            text += chunk + i;
            yield text;
            if (i === steps / 2) {
              half();
              await resume;
            }
          }
        },
        inputs: [],
        outputs: ["text"],
      }).toApp(),
      { store: new MemorySessionStore() },
    );
    try {
      const client = TestClient.direct(runtime);
      await client.hello();
      collect();
      const before = process.memoryUsage().heapUsed;
      client.send({ type: "run", id: "s", fn: 0, data: [] });
      await halfway;
      collect();
      const held = process.memoryUsage().heapUsed - before;
      go();
      await client.next("done");
      // Half-way the reply is 5 MB; the page's copy and the log's appended text are 5 MB each.
      // Keeping every version would be about 250 MB.
      expect(held).toBeLessThan(60 * 1024 * 1024);
      expect((client.output() as string).length).toBe(steps * chunk.length + Array.from({ length: steps }, (_, i) => String(i).length).reduce((a, b) => a + b));
    } finally {
      await runtime.close(0);
    }
  }, 60_000);
});
