import { describe, expect, it } from "vitest";
import { contrastRatio, readableTextOn } from "./contrastRatio.ts";

describe("contrastRatio", () => {
  it("gives WCAG's figures: 21 for black on white, 1 for a colour on itself, either order", () => {
    expect(contrastRatio("#000", "#fff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#ea580c", "#EA580C")).toBe(1);
    expect(contrastRatio("#fff", "#767676")).toBeCloseTo(4.54, 2);
    expect(contrastRatio("#767676", "#fff")).toBe(contrastRatio("#fff", "#767676"));
  });

  it("puts the old orange Submit under 4.5 and the new one over it", () => {
    expect(contrastRatio("#ffffff", "#ea580c")).toBeCloseTo(3.56, 2);
    expect(contrastRatio("#ffffff", "#c2410c")!).toBeGreaterThanOrEqual(4.5);
  });

  it("judges only colours it can read", () => {
    expect(contrastRatio("teal", "#fff")).toBeUndefined();
    expect(contrastRatio("var(--x)", "#fff")).toBeUndefined();
    expect(contrastRatio("#12345", "#fff")).toBeUndefined();
  });
});

describe("readableTextOn", () => {
  it("picks white on a dark accent and near-black on a light one", () => {
    expect(readableTextOn("#0f766e")).toBe("#ffffff");
    expect(readableTextOn("#2dd4bf")).toBe("#111111");
    expect(readableTextOn("rgb(1,2,3)")).toBeUndefined();
  });
});
