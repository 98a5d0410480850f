import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Blocks, type FileData, file, image, Interface, type LocalFile, type MultimodalInput } from "@dais/core";
import { Client, handle_file } from "@gradio/client";
import { afterEach, describe, expect, it } from "vitest";
import type { LaunchOptions } from "../launch.ts";
import { TestServer } from "../testServer.ts";

// Files over the wire, on real servers: the page's upload route, fn's typed values, outputs as
// paths, bytes and URLs, the official @gradio/client, and every defence a crafted request meets.
let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

async function start(app: Parameters<typeof TestServer.start>[0], options: LaunchOptions = {}) {
  server = await TestServer.start(app, options);
  return server;
}

/** Uploads as the page does: multipart, field `files`, naming its session. */
async function upload(base: string, session: string | undefined, files: { name: string; type: string; bytes: Uint8Array }[], headers: Record<string, string> = {}) {
  const form = new FormData();
  for (const f of files) form.append("files", new Blob([f.bytes], { type: f.type }), f.name);
  return fetch(`${base}gradio_api/upload${session ? `?session=${session}` : ""}`, { method: "POST", body: form, headers });
}

const asFileData = (path: string): FileData => ({ path, meta: { _type: "gradio.FileData" } });

describe("files over the wire", () => {
  it("an uploaded image reaches fn as bytes, and fn's bytes come back as a file the page can fetch", async () => {
    const s = await start(new Interface({ fn: (bytes: Uint8Array | null) => Buffer.concat([Buffer.from(bytes ?? []), Buffer.from("!")]), inputs: [image({ type: "buffer" })], outputs: [file()] }));
    const { client, welcome } = await s.session();
    const res = await upload(s.url, welcome.session, [{ name: "dot.png", type: "image/png", bytes: png }]);
    expect(res.status).toBe(200);
    const [path] = (await res.json()) as string[];
    expect(path).toMatch(/^[\w-]{22}\/dot\.png$/);
    const done = await client.run("r1", [asFileData(path!)]);
    expect(done.type).toBe("done");
    const out = client.output() as FileData;
    expect(out).toMatchObject({ meta: { _type: "gradio.FileData" }, size: png.length + 1 });
    const served = await fetch(new URL(out.url!, s.url));
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(Buffer.concat([png, Buffer.from("!")]));
  });

  it("type \"file\" gives { path, name, size, mimeType }; the session's folder is deleted when it ends", async () => {
    let seen: LocalFile | null = null;
    const s = await start(new Interface({ fn: (f: LocalFile | null) => ((seen = f), f?.name ?? ""), inputs: [image()], outputs: ["text"] }));
    const { client, welcome } = await s.session();
    const [path] = (await (await upload(s.url, welcome.session, [{ name: "../../evil/dot.png", type: "image/png", bytes: png }])).json()) as string[];
    // Folders in a name are dropped: the file is only ever a name in the session's own folder.
    expect(path).toMatch(/\/dot\.png$/);
    await client.run("r1", [asFileData(path!)]);
    expect(client.output()).toBe("dot.png");
    const got = seen as LocalFile | null;
    expect(got).toMatchObject({ name: "dot.png", size: png.length, mimeType: "image/png" });
    expect(readFileSync(got!.path)).toEqual(png);
    await s.launched.server.runtime.end(welcome.session);
    expect(existsSync(got!.path)).toBe(false);
    expect((await fetch(`${s.url}gradio_api/file=${path}`)).status).toBe(404);
  });

  it("a path another session was given, a made-up one, a ../ or an absolute one is refused and never read", async () => {
    const s = await start(new Interface({ fn: (f: LocalFile | null) => f?.path ?? "none", inputs: [file()], outputs: ["text"] }));
    const a = await s.session();
    const b = await s.session();
    const [path] = (await (await upload(s.url, a.welcome.session, [{ name: "secret.txt", type: "text/plain", bytes: Buffer.from("A's") }])).json()) as string[];
    for (const [i, bad] of [path!, "../../../../etc/passwd", "/etc/passwd", `${path!.split("/")[0]}/other.txt`, "AAAAAAAAAAAAAAAAAAAAAA/x.txt"].entries()) {
      const error = await b.client.run(`b${i}`, [asFileData(bad)]);
      expect(error.type, bad).toBe("error");
      expect((error as { code: string }).code).toBe("invalid_input");
    }
    // The owner can use it.
    expect((await a.client.run("a1", [asFileData(path!)])).type).toBe("done");
    // Served only under the exact path it was given; anything else is 404.
    expect((await fetch(`${s.url}gradio_api/file=${path}`)).status).toBe(200);
    for (const bad of ["..%2F..%2F..%2Fetc%2Fpasswd", `${path!.split("/")[0]}/other.txt`, "/etc/passwd", `${path!.split("/")[0]}`]) expect((await fetch(`${s.url}gradio_api/file=${bad}`)).status, bad).toBe(404);
    expect((await fetch(`${s.url}gradio_api/file=%E0%A4%A`)).status).toBe(400);
  });

  it("stops reading an upload past maxFileSize while it is still streaming, and keeps nothing of it", async () => {
    const s = await start(new Interface({ fn: (f: LocalFile | null) => f?.name ?? "", inputs: [file()], outputs: ["text"] }), { maxFileSize: 64 * 1024 });
    const { welcome } = await s.session();
    const boundary = "dais-test-boundary";
    const url = new URL(`${s.url}gradio_api/upload?session=${welcome.session}`);
    // A body that never ends: the answer can only come if the server refuses while it streams.
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(url, { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "transfer-encoding": "chunked" } }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on("error", reject);
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
      const chunk = Buffer.alloc(16 * 1024, 1);
      let sent = 0;
      const pump = () => {
        // Bounded all the same: 64 MiB is a thousand times the limit.
        while (sent < 64 * 1024 * 1024 && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
      };
      pump();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body).detail).toBe("The file is larger than this app accepts (64 KB).");
    const store = s.launched.server.runtime.files as unknown as { count(owner: string): number };
    expect(store.count(welcome.session)).toBe(0);
  });

  it("an upload cut off by the client keeps nothing and holds no place among the session's files", async () => {
    const s = await start(new Interface({ fn: () => "", inputs: [file()], outputs: ["text"] }), { maxFilesPerSession: 1 });
    const { welcome } = await s.session();
    const store = s.launched.server.runtime.files as unknown as { count(owner: string): number };
    const boundary = "cut-off";
    const req = httpRequest(new URL(`${s.url}gradio_api/upload?session=${welcome.session}`), { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "transfer-encoding": "chunked" } });
    req.on("error", () => undefined);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="half.bin"\r\n\r\n${"x".repeat(1000)}`);
    // The server has the file open: its place is taken while it streams.
    await expect.poll(() => store.count(welcome.session)).toBe(1);
    req.destroy();
    await expect.poll(() => store.count(welcome.session)).toBe(0);
    // So the one place left is free for the next upload.
    expect((await upload(s.url, welcome.session, [{ name: "a.txt", type: "text/plain", bytes: Buffer.from("a") }])).status).toBe(200);
  });

  it("bounds the files one session may hold", async () => {
    const s = await start(new Interface({ fn: () => "", inputs: [file()], outputs: ["text"] }), { maxFilesPerSession: 3 });
    const { welcome } = await s.session();
    const one = { name: "a.txt", type: "text/plain", bytes: Buffer.from("a") };
    expect((await upload(s.url, welcome.session, [one, one, one])).status).toBe(200);
    const refused = await upload(s.url, welcome.session, [one]);
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/already holds 3 files/);
  });

  it("serves an uploaded page or SVG as a download that runs nothing, and media inline", async () => {
    const s = await start(new Interface({ fn: () => "", inputs: [file()], outputs: ["text"] }));
    const { welcome } = await s.session();
    const paths = (await (
      await upload(s.url, welcome.session, [
        { name: "x.html", type: "text/html", bytes: Buffer.from("<script>alert(1)</script>") },
        { name: "x.svg", type: "image/svg+xml", bytes: Buffer.from("<svg onload='alert(1)'/>") },
        { name: "x.png", type: "image/png", bytes: png },
      ])
    ).json()) as string[];
    for (const path of paths.slice(0, 2)) {
      const res = await fetch(`${s.url}gradio_api/file=${path}`);
      expect(res.headers.get("content-type")).toBe("application/octet-stream");
      expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-security-policy")).toMatch(/sandbox/);
    }
    const img = await fetch(`${s.url}gradio_api/file=${paths[2]}`);
    expect(img.headers.get("content-type")).toBe("image/png");
    expect(img.headers.get("content-disposition")).toMatch(/^inline;/);
  });

  it("a shared app's files and uploads need the token like everything else", async () => {
    const s = await start(new Interface({ fn: (f: LocalFile | null) => f?.path ?? "", inputs: [file()], outputs: [file()] }), { share: true, host: "127.0.0.1" });
    const token = new URL(s.url).searchParams.get("token")!;
    const base = s.url.replace(/\?token=.*$/, "");
    expect((await upload(base, undefined, [{ name: "a.txt", type: "text/plain", bytes: Buffer.from("a") }])).status).toBe(401);
    const ok = await upload(base, undefined, [{ name: "a.txt", type: "text/plain", bytes: Buffer.from("a") }], { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect((await fetch(`${base}gradio_api/file=${((await ok.json()) as string[])[0]}`)).status).toBe(401);
  });

  it("with auth, uploads and files need a login", async () => {
    const s = await start(new Interface({ fn: () => "", inputs: [file()], outputs: ["text"] }), { auth: ["tester", "s3cret"] });
    const refused = await upload(s.url, undefined, [{ name: "a.txt", type: "text/plain", bytes: Buffer.from("a") }]);
    expect(refused.status).toBe(401);
    // A session's own file, fetched by someone who has not logged in.
    const { welcome } = await s.direct();
    const [path] = await s.launched.server.runtime.files.put(welcome.session, [Buffer.from("secret")], { name: "s.txt" }).then((f) => [`${f.id}/${f.name}`]);
    expect((await fetch(`${s.url}gradio_api/file=${path}`)).status).toBe(401);
  });

  it("outputs: a path in the working folder, a URL, { data, name }; a path outside allowedPaths or a dotfile is refused", async () => {
    const dir = join(tmpdir(), `dais-files-test-${process.pid}`);
    mkdirSync(join(dir, ".hidden"), { recursive: true });
    writeFileSync(join(dir, "ok.txt"), "from disk");
    writeFileSync(join(dir, ".hidden", "secret.txt"), "no");
    const site = await start(new Blocks((ui) => ui.markdown("source")));
    const source = `${site.url}config`;
    server = undefined;
    const s = await TestServer.start(
      new Blocks((ui) => {
        const which = ui.textbox();
        const out = ui.file();
        which.submit({
          fn: (w: string) => (w === "url" ? source : w === "data" ? { data: Buffer.from("made"), name: "made.txt" } : w),
          inputs: [which],
          outputs: [out],
        });
      }),
      { allowedPaths: [dir] },
    );
    try {
      const { client } = await s.session();
      const fetched = async () => (await fetch(new URL((client.output() as FileData).url!, s.url))).text();
      expect((await client.run("p", [join(dir, "ok.txt")])).type).toBe("done");
      expect(await fetched()).toBe("from disk");
      expect((await client.run("u", ["url"])).type).toBe("done");
      expect(JSON.parse(await fetched())).toHaveProperty("components");
      expect((await client.run("d", ["data"])).type).toBe("done");
      expect(client.output()).toMatchObject({ orig_name: "made.txt" });
      for (const [i, bad] of [join(dir, ".hidden", "secret.txt"), "/etc/passwd"].entries()) {
        const error = await client.run(`x${i}`, [bad]);
        expect(error).toMatchObject({ type: "error", code: "invalid_output" });
      }
    } finally {
      await s.stop();
      await site.stop();
    }
  });

  it("fileTypes is enforced on the server: a file of another type is refused before fn runs, whatever the value claims", async () => {
    const seen: string[] = [];
    const s = await start(
      new Blocks((ui) => {
        const docs = ui.file({ label: "Docs", fileCount: "multiple", fileTypes: ["image/*", ".pdf"] });
        const one = ui.file({ label: "One", fileTypes: ["image"] });
        const ask = ui.multimodalTextbox({ label: "Ask", fileTypes: [".pdf"] });
        ui.button("Go").click({ fn: (d: LocalFile[] | null, o: LocalFile | null, m: MultimodalInput) => (seen.push([...(d ?? []), ...(o ? [o] : []), ...m.files].map((f) => f.name).join(",")), "ok"), inputs: [docs, one, ask], outputs: [ui.textbox()] });
      }),
    );
    const { client, welcome } = await s.session();
    const up = async (name: string, type: string) => {
      const [path] = (await (await upload(s.url, welcome.session, [{ name, type, bytes: Buffer.from("x") }])).json()) as string[];
      // The value claims a PDF: the server goes by its own record of the upload.
      return { ...asFileData(path!), orig_name: "claimed.pdf", mime_type: "application/pdf" };
    };
    const [txt, pdf, dot, exe] = [await up("notes.txt", "text/plain"), await up("Report.PDF", "application/pdf"), await up("dot.png", "image/png"), await up("run.exe", "application/octet-stream")];
    const none = { text: "", files: [] };
    const crafted: [unknown[], RegExp][] = [
      [[[pdf, txt], null, none], /"Docs" takes only image\/\*, \.pdf files, got "notes\.txt" \(text\/plain\)/],
      [[[exe], null, none], /"Docs" takes only/],
      [[null, pdf, none], /"One" takes only image files, got "Report\.PDF"/],
      [[null, null, { text: "read", files: [dot] }], /"Ask" takes only \.pdf files, got "dot\.png"/],
    ];
    for (const [i, [value, message]] of crafted.entries()) {
      const done = await client.run(`t${i}`, value);
      expect(done, JSON.stringify(value)).toMatchObject({ type: "error", code: "invalid_input" });
      expect((done as { message: string }).message).toMatch(message);
    }
    expect(seen).toEqual([]);
    // Files of the listed types are taken: an extension in any case, a type's family.
    expect(await client.run("ok", [[pdf, dot], dot, { text: "read", files: [pdf] }])).toMatchObject({ type: "done" });
    expect(seen).toEqual(["Report.PDF,dot.png,dot.png,Report.PDF"]);
  });
});

describe("@gradio/client with files", () => {
  it("handle_file uploads a file to an image Interface and the output file comes back by its URL", async () => {
    const s = await start(new Interface({ fn: (f: LocalFile | null) => f, inputs: [image()], outputs: [image()] }));
    const client = await Client.connect(s.url);
    try {
      const { data } = await client.predict("/predict", [handle_file(new Blob([png], { type: "image/png" }))]);
      const out = (data as FileData[])[0]!;
      expect(out).toMatchObject({ orig_name: "blob", mime_type: "image/png" });
      expect(out.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/gradio_api\/file=/);
      expect(Buffer.from(await (await fetch(out.url!)).arrayBuffer())).toEqual(png);
      // Another client (another session) cannot use the first one's upload.
      const other = await Client.connect(s.url);
      await expect(other.predict("/predict", [{ path: out.path, meta: { _type: "gradio.FileData" } }])).rejects.toMatchObject({ message: expect.stringMatching(/file this session does not have/) });
      other.close();
    } finally {
      client.close();
    }
  });
});
