import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { startRedis } from "./testRedis.ts";

describe("startRedis", () => {
  it("serves a real, empty Redis on loopback, empty again after a restart, and gone after stop", async () => {
    const redis = await startRedis();
    const client = new Redis(redis.url, { maxRetriesPerRequest: null, lazyConnect: true });
    // Connection errors while the server is down for its restart are expected; ioredis retries.
    client.on("error", () => {});
    try {
      await client.connect();
      expect(await client.ping()).toBe("PONG");
      await client.set("k", "v");
      expect(await client.get("k")).toBe("v");
      await redis.restart();
      // ioredis reconnects on its own; the new server remembers nothing (no persistence).
      expect(await client.get("k")).toBeNull();
    } finally {
      client.disconnect();
      await redis.stop();
    }
    const probe = new Redis(redis.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on("error", () => {});
    await expect(probe.connect()).rejects.toThrow();
    probe.disconnect();
  });
});
