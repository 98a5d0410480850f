import { describe, expect, it } from "vitest";
import { ExpiringMap } from "./ExpiringMap.ts";

describe("ExpiringMap (login attempts and login sessions)", () => {
  it("forgets an entry once its time is up, and a kept expiry does not move", () => {
    let now = 0;
    const map = new ExpiringMap<string, number>({ ttlMs: 1000, max: 10, now: () => now });
    map.set("a", 1);
    now = 900;
    map.set("a", 2, true);
    expect(map.get("a")).toBe(2);
    now = 1000;
    expect(map.get("a")).toBeUndefined();
    expect(map.has("a")).toBe(false);
  });

  it("never holds more than max entries, however many visitors arrive; expired ones are swept first", () => {
    let now = 0;
    const map = new ExpiringMap<string, true>({ ttlMs: 1000, max: 100, now: () => now });
    for (let i = 0; i < 10_000; i++) {
      now = i;
      map.set(`visitor${i}`, true);
      expect(map.size).toBeLessThanOrEqual(100);
    }
    expect(map.has("visitor9999")).toBe(true);
    expect(map.has("visitor0")).toBe(false);
    now = 20_000;
    map.set("late", true);
    expect(map.size).toBe(1);
  });
});
