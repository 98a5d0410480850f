import { createReadStream, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialogpt } from "./dialogpt.ts";
import { writeTinyDialogpt } from "./fixtures/writeTinyModel.ts";
import type { ModelProgress } from "./loadModel.ts";
import { resolveModelSource } from "./ModelSource.ts";
import { ModelUnavailableError } from "./ModelUnavailableError.ts";

const root = fileURLToPath(new URL("../.fixtures/load-model/", import.meta.url));
const hubFiles = join(root, "hub", "dais-test", "tiny-dialogpt");
let hub: Server;
let hubUrl: string;
const requests: string[] = [];

/** A stand-in for huggingface.co: serves `/{org}/{name}/resolve/main/{file}` from disk, as the Hub does. */
function startHub(): Promise<string> {
  hub = createServer((req, res) => {
    requests.push(req.url!);
    const match = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(req.url!);
    const file = match ? join(root, "hub", match[1]!, decodeURIComponent(match[2]!)) : "";
    if (!file || !existsSync(file)) {
      res.writeHead(404).end("Entry not found");
      return;
    }
    const size = statSync(file).size;
    if (req.headers.range === "bytes=0-0") {
      res.writeHead(206, { "content-range": `bytes 0-0/${size}`, "content-length": "1" }).end("x");
      return;
    }
    res.writeHead(200, { "content-length": String(size), "content-type": "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => hub.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(hub.address() as AddressInfo).port}/`)));
}

beforeAll(async () => {
  rmSync(root, { recursive: true, force: true });
  writeTinyDialogpt(hubFiles);
  hubUrl = await startHub();
});
/** Closes the stand-in Hub now, keep-alive connections included (close() alone waits for them). */
const stopHub = () =>
  new Promise<void>((resolve) => {
    if (!hub.listening) return resolve();
    hub.close(() => resolve());
    hub.closeAllConnections();
  });
afterAll(stopHub);

const messageOf = (e: unknown) => {
  expect(e).toBeInstanceOf(ModelUnavailableError);
  return (e as Error).message;
};

describe("loading a model", () => {
  it("explains a missing folder: which model, which folder, and what to put there", async () => {
    const folder = join(root, "nowhere");
    const message = messageOf(await dialogpt({ model: folder }).catch((e: unknown) => e));
    expect(message).toBe(
      `Model "${folder}" is not available: the folder ${folder} does not exist. ` +
        `Put the model's files there (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx), ` +
        `for example those of https://huggingface.co/Xenova/DialoGPT-small, or name a Hugging Face model id instead.`,
    );
  });

  it("explains, offline (DAIS_OFFLINE=1), that a Hub id is not in the cache and how to get it", async () => {
    const cacheDir = join(root, "empty-cache");
    process.env.DAIS_OFFLINE = "1";
    try {
      const message = messageOf(await dialogpt({ model: "Xenova/DialoGPT-medium", cacheDir, hubUrl }).catch((e: unknown) => e));
      expect(message).toBe(
        `Model "Xenova/DialoGPT-medium" is not available offline (DAIS_OFFLINE=1): it is not in ${join(cacheDir, "Xenova", "DialoGPT-medium")} ` +
          `(missing config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx). To get it, run once with network access and without ` +
          `DAIS_OFFLINE to download it there, or copy the files of ${hubUrl}Xenova/DialoGPT-medium into that folder.`,
      );
    } finally {
      delete process.env.DAIS_OFFLINE;
    }
    expect(requests).toEqual([]); // offline means offline
  });

  it("downloads a Hub id once into the cache with progress events, then answers from the cache with no network", async () => {
    const cacheDir = join(root, "cache");
    const events: ModelProgress[] = [];
    const online = await dialogpt({ model: "dais-test/tiny-dialogpt", cacheDir, hubUrl, progressBar: false, onProgress: (e) => events.push(e), maxNewTokens: 8 });
    const first = await online("Hello! How are you?", null);
    for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx"]) {
      expect(existsSync(join(cacheDir, "dais-test", "tiny-dialogpt", file))).toBe(true);
      expect(events).toContainEqual({ status: "done", name: "dais-test/tiny-dialogpt", file });
    }
    const size = statSync(join(hubFiles, "onnx/model.onnx")).size;
    expect(events).toContainEqual(expect.objectContaining({ status: "progress", file: "onnx/model.onnx", loaded: size, total: size }));
    expect(events.at(-1)).toEqual({ status: "ready", name: "dais-test/tiny-dialogpt" });
    expect(requests.some((r) => r.endsWith("/onnx/model.onnx"))).toBe(true);
    await online.dispose();

    await stopHub();
    const seen = requests.length;
    const cached = await dialogpt({ model: "dais-test/tiny-dialogpt", cacheDir, hubUrl, maxNewTokens: 8 });
    expect(await cached("Hello! How are you?", null)).toEqual(first);
    expect(requests.length).toBe(seen);
    await cached.dispose();
  });

  it("explains a download that fails for want of a network", async () => {
    const closed = hubUrl; // the stand-in Hub is closed by now: connections are refused
    const cacheDir = join(root, "cache-2");
    const message = messageOf(await dialogpt({ model: "dais-test/unreachable", cacheDir, hubUrl: closed, progressBar: false }).catch((e: unknown) => e));
    expect(message).toBe(
      `Model "dais-test/unreachable" could not be downloaded (ECONNREFUSED) and is not in ${join(cacheDir, "dais-test", "unreachable")} ` +
        `(missing config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx). Run again with network access to download it there once, ` +
        `or copy the files of ${closed}dais-test/unreachable into that folder (then DAIS_OFFLINE=1 skips the network).`,
    );
  });

  it("explains an id the Hub does not have", async () => {
    hubUrl = await startHub();
    const cacheDir = join(root, "cache-3");
    const message = messageOf(await dialogpt({ model: "dais-test/no-such-model", cacheDir, hubUrl, progressBar: false }).catch((e: unknown) => e));
    expect(message).toBe(
      `Model "dais-test/no-such-model" was not found on the Hugging Face Hub (HTTP 404 for ${hubUrl}dais-test/no-such-model/resolve/main/config.json) ` +
        `and is not in ${join(cacheDir, "dais-test", "no-such-model")} (missing config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx). ` +
        `Check the id: it needs ONNX weights (onnx/model.onnx), as the Xenova/ and onnx-community/ conversions have. Or copy the model's files into that folder.`,
    );
  });
});

describe("resolveModelSource", () => {
  it("tells folders from Hub ids, preferring a folder that exists", () => {
    const cache = "/cache";
    expect(resolveModelSource("Xenova/DialoGPT-small", cache)).toEqual({ kind: "hub", name: "Xenova/DialoGPT-small", id: "Xenova/DialoGPT-small", dir: "/cache/Xenova/DialoGPT-small" });
    expect(resolveModelSource("gpt2", cache)).toMatchObject({ kind: "hub", dir: "/cache/gpt2" });
    expect(resolveModelSource("./models/dialogpt", cache)).toMatchObject({ kind: "folder", dir: join(process.cwd(), "models/dialogpt") });
    expect(resolveModelSource("/srv/models/x", cache)).toMatchObject({ kind: "folder", dir: "/srv/models/x" });
    mkdirSync(join(root, "org", "name"), { recursive: true });
    const relative = join(root, "org", "name").slice(process.cwd().length + 1);
    expect(resolveModelSource(relative, cache)).toMatchObject({ kind: "folder", dir: join(root, "org", "name") });
  });
});
