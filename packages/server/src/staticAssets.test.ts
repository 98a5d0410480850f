import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staticAssets } from "./staticAssets.ts";

const script = "export const answer = 42;\n".repeat(50);
let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dais-assets-"));
  mkdirSync(join(dir, "katex"));
  writeFileSync(join(dir, "app.js"), script);
  writeFileSync(join(dir, "app.js.br"), brotliCompressSync(script));
  writeFileSync(join(dir, "app.js.gz"), gzipSync(script));
  writeFileSync(join(dir, "katex", "k.css"), "b{}");
  writeFileSync(join(dir, "katex", "k.css.gz"), gzipSync("b{}"));
  writeFileSync(join(dir, "plain.txt"), "no variants");
  writeFileSync(join(tmpdir(), "dais-assets-outside.js"), "TOPSECRET");
  writeFileSync(join(tmpdir(), "dais-assets-outside.js.br"), brotliCompressSync("TOPSECRET"));
  const app = express();
  app.use(staticAssets(dir));
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw GET (fetch would decode the body itself): status, headers and the bytes as sent. */
function raw(path: string, acceptEncoding?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(`${base}${path}`, { headers: acceptEncoding === undefined ? {} : { "accept-encoding": acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}

describe("staticAssets", () => {
  it("sends brotli to a browser that takes it, gzip to one that takes only that, and the file as it is otherwise", async () => {
    const br = await raw("/app.js", "gzip, deflate, br, zstd");
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-type"]).toMatch(/javascript/);
    expect(br.headers.vary).toMatch(/Accept-Encoding/);
    expect(brotliDecompressSync(br.body).toString()).toBe(script);
    const gz = await raw("/app.js", "gzip");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).toString()).toBe(script);
    const none = await raw("/app.js");
    expect(none.headers["content-encoding"]).toBeUndefined();
    expect(none.body.toString()).toBe(script);
  });

  it("honours a refusal (q=0) and serves files in folders and files with no variants", async () => {
    expect((await raw("/app.js", "br;q=0, gzip")).headers["content-encoding"]).toBe("gzip");
    const css = await raw("/katex/k.css", "br, gzip");
    expect(css.headers["content-encoding"]).toBe("gzip");
    expect(css.headers["content-type"]).toMatch(/css/);
    expect((await raw("/plain.txt", "br")).body.toString()).toBe("no variants");
  });

  it("serves nothing outside its folder, however the path is written", async () => {
    for (const path of ["/../dais-assets-outside.js", "/%2e%2e/dais-assets-outside.js", "/..%2fdais-assets-outside.js"]) {
      const res = await raw(path, "br");
      expect(res.body.toString()).not.toContain("TOPSECRET");
      expect(res.status).not.toBe(200);
    }
  });
});
