import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chatFamily, readModelType } from "./loadChatPredict.ts";

const root = mkdtempSync(join(tmpdir(), "dais-model-type-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("chatFamily", () => {
  it("maps config.json's model_type to a predict function of @dais/models", () => {
    expect(chatFamily("gpt2", "./x")).toBe("dialogpt");
    expect(chatFamily("blenderbot", "./x")).toBe("blenderbot");
    expect(chatFamily("blenderbot-small", "./x")).toBe("blenderbot");
    expect(chatFamily("qwen2", "./dialogpt-look-alike")).toBe("chatModel");
    expect(chatFamily("llama", "./x")).toBe("chatModel");
  });

  it("goes by the name when there is no config to read", () => {
    expect(chatFamily(undefined, "Xenova/DialoGPT-medium")).toBe("dialogpt");
    expect(chatFamily(undefined, "Xenova/blenderbot_small-90M")).toBe("blenderbot");
    expect(chatFamily(undefined, "onnx-community/Qwen2.5-0.5B-Instruct")).toBe("chatModel");
  });
});

describe("readModelType", () => {
  it("reads a folder's config.json, and a Hub id's in the download cache", async () => {
    mkdirSync(join(root, "folder"));
    writeFileSync(join(root, "folder", "config.json"), JSON.stringify({ model_type: "blenderbot-small" }));
    mkdirSync(join(root, "cache", "org", "model"), { recursive: true });
    writeFileSync(join(root, "cache", "org", "model", "config.json"), JSON.stringify({ model_type: "gpt2" }));
    expect(await readModelType(join(root, "folder"), join(root, "cache"))).toBe("blenderbot-small");
    expect(await readModelType("org/model", join(root, "cache"))).toBe("gpt2");
  });

  it("answers undefined for a folder without a config, and a broken one", async () => {
    mkdirSync(join(root, "broken"));
    writeFileSync(join(root, "broken", "config.json"), "{ not json");
    expect(await readModelType(join(root, "broken"), root)).toBeUndefined();
    expect(await readModelType(join(root, "missing"), root)).toBeUndefined();
  });
});
