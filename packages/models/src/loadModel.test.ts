import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
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

/** How the stand-in Hub misbehaves, by file path: an HTTP status, or a body cut off halfway. */
const faults = new Map<string, number | "truncate">();
/** Repositories that answer only with this bearer token (gated or private models). */
const gated = new Map<string, string>();
let fileApi = true;

/**
 * A stand-in for huggingface.co: serves `/{org}/{name}/resolve/main/{file}` from disk and the
 * file list at `/api/models/{org}/{name}/tree/main`, as the Hub does.
 */
function startHub(): Promise<string> {
  hub = createServer((req, res) => {
    requests.push(req.url!);
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/main(\?.*)?$/.exec(req.url!);
    const match = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(req.url!);
    const repo = api?.[1] ?? match?.[1];
    if (repo && gated.has(repo) && req.headers.authorization !== `Bearer ${gated.get(repo)}`) {
      res.writeHead(401).end("Unauthorized");
      return;
    }
    if (api) {
      const dir = join(root, "hub", api[1]!);
      if (!fileApi || !existsSync(dir)) {
        res.writeHead(404).end("Not found");
        return;
      }
      const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => statSync(join(dir, f)).isFile());
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(files.map((path) => ({ type: "file", path, size: statSync(join(dir, path)).size, oid: "abc" }))));
      return;
    }
    const path = match ? decodeURIComponent(match[2]!) : "";
    const file = match ? join(root, "hub", match[1]!, path) : "";
    const fault = faults.get(path);
    if (typeof fault === "number") {
      res.writeHead(fault).end("<html>Bad gateway</html>");
      return;
    }
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
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    if (fault === "truncate") {
      // Half the body, then the connection drops.
      res.write(readFileSync(file).subarray(0, size >> 1), () => res.destroy());
      return;
    }
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

// Model work on a busy machine can take a while; the time limit is only a safety net.
describe("Hub repositories as they are", { timeout: 60_000 }, () => {
  /** A repository on the stand-in Hub holding the tiny DialoGPT with its weights under another name. */
  function publish(repo: string, rename: Record<string, string> = {}, dtypes: ("fp32" | "q8")[] = ["fp32"]): string {
    const dir = join(root, "hub", repo);
    rmSync(dir, { recursive: true, force: true });
    writeTinyDialogpt(dir, { dtypes });
    for (const [from, to] of Object.entries(rename)) renameSync(join(dir, from), join(dir, to));
    return dir;
  }
  const quiet = { progressBar: false, maxNewTokens: 6 } as const;
  let expected: unknown;
  beforeAll(async () => {
    hubUrl = hub.listening ? hubUrl : await startHub();
    const reference = await dialogpt({ model: hubFiles, ...quiet });
    expected = await reference("Hello! How are you?", null);
    await reference.dispose();
  });
  const leftovers = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".incomplete"));

  const layouts: [string, Record<string, string>, "fp32" | "q8"][] = [
    ["onnx/model.onnx (newer exports)", {}, "fp32"],
    ["onnx/decoder_model_merged.onnx (older conversions)", { "onnx/model.onnx": "onnx/decoder_model_merged.onnx" }, "fp32"],
    ["onnx/decoder_model_merged_quantized.onnx for q8", { "onnx/model_quantized.onnx": "onnx/decoder_model_merged_quantized.onnx", "onnx/model.onnx": "onnx/decoder_model_merged.onnx" }, "q8"],
    ["onnx/decoder_with_past_model.onnx alone", { "onnx/model.onnx": "onnx/decoder_with_past_model.onnx" }, "fp32"],
  ];
  for (const [name, rename, dtype] of layouts)
    for (const api of [true, false])
      it(`loads a repository with ${name}, found ${api ? "through the Hub's file list" : "by probing (no file-list API)"}`, async () => {
        const repo = `layouts/${Object.values(rename).join("-").replace(/[/.]/g, "_") || "model"}-${dtype}-${api}`;
        publish(repo, rename, dtype === "q8" ? ["fp32", "q8"] : ["fp32"]);
        fileApi = api;
        try {
          const cacheDir = join(root, "layout-cache");
          const predict = await dialogpt({ model: repo, cacheDir, hubUrl, dtype, ...quiet });
          const [chat] = (await predict("Hello! How are you?", null)) as [unknown, number[]];
          if (dtype === "fp32") expect(await predict("Hello! How are you?", null)).toEqual(expected);
          else expect(chat).toHaveLength(1);
          const files = readdirSync(join(cacheDir, repo, "onnx"));
          // Only the weights the dtype names were fetched.
          expect(files).toEqual([Object.values(rename).find((f) => (dtype === "q8" ? f.includes("_quantized") : !f.includes("_quantized")))?.slice(5) ?? "model.onnx"]);
          await predict.dispose();
        } finally {
          fileApi = true;
        }
      });

  it("sends HF_TOKEN to the endpoint it downloads from (an HF_ENDPOINT mirror too), and explains a gated model without it", async () => {
    publish("gated/tiny");
    gated.set("gated/tiny", "hf_secret");
    const cacheDir = join(root, "gated-cache");
    const denied = messageOf(await dialogpt({ model: "gated/tiny", cacheDir, hubUrl, ...quiet }).catch((e: unknown) => e));
    expect(denied).toContain(`Model "gated/tiny" is gated or private on the Hugging Face Hub (HTTP 401 for ${hubUrl}api/models/gated/tiny/tree/main?recursive=true)`);
    expect(denied).toContain("set HF_TOKEN");
    process.env.HF_TOKEN = "hf_secret";
    const saved = process.env.HF_ENDPOINT;
    process.env.HF_ENDPOINT = hubUrl; // the mirror, named the way users do
    try {
      const predict = await dialogpt({ model: "gated/tiny", cacheDir, ...quiet });
      expect(await predict("Hello! How are you?", null)).toEqual(expected);
      await predict.dispose();
    } finally {
      delete process.env.HF_TOKEN;
      if (saved === undefined) delete process.env.HF_ENDPOINT;
      else process.env.HF_ENDPOINT = saved;
    }
  });

  it("turns an HTTP 5xx from the Hub into a plain message to retry, keeps no partial file, and the retry works", async () => {
    publish("flaky/tiny");
    const cacheDir = join(root, "flaky-cache");
    faults.set("onnx/model.onnx", 503);
    try {
      const error = await dialogpt({ model: "flaky/tiny", cacheDir, hubUrl, ...quiet }).catch((e: unknown) => e);
      expect(messageOf(error)).toBe(
        `Model "flaky/tiny" could not be downloaded: the Hub failed (HTTP 503 for ${hubUrl}flaky/tiny/resolve/main/onnx/model.onnx). This is usually passing: retry in a moment. ` +
          `Nothing broken was kept in ${join(cacheDir, "flaky", "tiny")} (still missing onnx/model.onnx).`,
      );
    } finally {
      faults.delete("onnx/model.onnx");
    }
    const predict = await dialogpt({ model: "flaky/tiny", cacheDir, hubUrl, ...quiet });
    expect(await predict("Hello! How are you?", null)).toEqual(expected);
    await predict.dispose();
  });

  it("never keeps a download that broke off: no temporary file, no truncated model, and the next try fetches it whole", async () => {
    publish("cut/tiny");
    const cacheDir = join(root, "cut-cache");
    const dir = join(cacheDir, "cut", "tiny");
    faults.set("onnx/model.onnx", "truncate");
    try {
      const error = await dialogpt({ model: "cut/tiny", cacheDir, hubUrl, ...quiet }).catch((e: unknown) => e);
      expect(messageOf(error)).toMatch(/could not be downloaded/);
      expect(existsSync(join(dir, "onnx", "model.onnx"))).toBe(false);
      expect(leftovers(dir)).toEqual([]);
    } finally {
      faults.delete("onnx/model.onnx");
    }
    // A temporary file a killed process left behind is cleared by the next download.
    writeFileSync(join(dir, "onnx", "model.onnx.999.incomplete"), "half");
    const predict = await dialogpt({ model: "cut/tiny", cacheDir, hubUrl, ...quiet });
    expect(await predict("Hello! How are you?", null)).toEqual(expected);
    expect(leftovers(dir)).toEqual([]);
    await predict.dispose();
  });

  it("mends a broken cache instead of failing for good: an HTML config.json, a truncated or garbage model.onnx are fetched again", async () => {
    publish("mend/tiny");
    const cacheDir = join(root, "mend-cache");
    const dir = join(cacheDir, "mend", "tiny");
    const first = await dialogpt({ model: "mend/tiny", cacheDir, hubUrl, ...quiet });
    await first.dispose();
    const breakages: [string, () => void][] = [
      ["an HTML config.json", () => writeFileSync(join(dir, "config.json"), "<!DOCTYPE html><html>Captive portal</html>")],
      ["a truncated model.onnx", () => writeFileSync(join(dir, "onnx", "model.onnx"), readFileSync(join(dir, "onnx", "model.onnx")).subarray(0, 1000))],
      ["a garbage model.onnx of the right size", () => writeFileSync(join(dir, "onnx", "model.onnx"), Buffer.alloc(statSync(join(dir, "onnx", "model.onnx")).size, 7))],
    ];
    for (const [what, breakIt] of breakages) {
      breakIt();
      process.env.DAIS_OFFLINE = "1";
      try {
        const message = messageOf(await dialogpt({ model: "mend/tiny", cacheDir, hubUrl, ...quiet }).catch((e: unknown) => e));
        expect(message, what).toMatch(new RegExp(`^Model "mend/tiny" could not be loaded from ${dir}: .+\\. A file there is probably corrupt or truncated`));
        expect(message, what).toContain(`Retry with network access (Dais fetches the broken files again), or delete the folder ${dir} and run again`);
      } finally {
        delete process.env.DAIS_OFFLINE;
      }
      const predict = await dialogpt({ model: "mend/tiny", cacheDir, hubUrl, ...quiet });
      expect(await predict("Hello! How are you?", null), what).toEqual(expected);
      await predict.dispose();
    }
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
