import { Blocks, type FileData, Interface, type MultimodalInput, multimodalTextbox } from "@dais/core";
import { Client, handle_file } from "@gradio/client";
import { afterEach, describe, expect, it } from "vitest";
import { TestServer } from "../testServer.ts";

// The multimodal textbox on a real server: text and the session's uploads reach fn; every crafted
// value (another session's file, too many files, too much text, a junk shape) is refused first.
let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

/** Uploads as the page does, and returns what the page then sends, with claims the server must not believe. */
async function upload(base: string, session: string, name: string, type: string, bytes: Uint8Array): Promise<FileData> {
  const form = new FormData();
  form.append("files", new Blob([bytes], { type }), name);
  const [path] = (await (await fetch(`${base}gradio_api/upload?session=${session}`, { method: "POST", body: form })).json()) as string[];
  return { path: path!, url: `gradio_api/file=${path}`, orig_name: "claimed.exe", size: 1, mime_type: "application/x-claimed", meta: { _type: "gradio.FileData" } };
}

describe("multimodalTextbox on a server", () => {
  it("hands fn the text and the session's files as the server recorded them, or their bytes", async () => {
    const got: MultimodalInput[] = [];
    const bytes: Uint8Array[][] = [];
    server = await TestServer.start(
      new Blocks((ui) => {
        const ask = ui.multimodalTextbox({ label: "Ask" });
        const raw = ui.multimodalTextbox({ label: "Raw", type: "buffer" });
        const out = ui.multimodalTextbox({ label: "Answer" });
        ui.button("Go").click({ fn: (m: MultimodalInput, r: { text: string; files: Uint8Array[] }) => (got.push(m), bytes.push(r.files), { text: m.text.toUpperCase(), files: [Buffer.from("made")] }), inputs: [ask, raw], outputs: [out] });
      }),
    );
    const { client, welcome } = await server.session();
    const f = await upload(server.url, welcome.session, "dot.png", "image/png", png);
    expect(await client.run("a", [{ text: "look", files: [f] }, { text: "", files: [f] }])).toMatchObject({ type: "done" });
    expect(got[0]).toMatchObject({ text: "look", files: [{ name: "dot.png", mimeType: "image/png", size: png.length }] });
    expect(Buffer.from(bytes[0]![0]!)).toEqual(png);
    const out = client.output() as { text: string; files: FileData[] };
    expect(out.text).toBe("LOOK");
    expect(Buffer.from(await (await fetch(new URL(out.files[0]!.url!, server.url))).arrayBuffer()).toString()).toBe("made");
  });

  it("refuses another session's file, a made-up path, too many files, too much text and junk shapes before fn runs", async () => {
    let calls = 0;
    server = await TestServer.start(new Interface({ fn: (m: MultimodalInput) => String(++calls + m.files.length), inputs: [multimodalTextbox({ label: "Ask", maxFiles: 2, maxLength: 20 })], outputs: ["text"] }));
    const a = await server.session();
    const b = await server.session();
    const theirs = await upload(server.url, b.welcome.session, "secret.txt", "text/plain", Buffer.from("secret"));
    const mine = await upload(server.url, a.welcome.session, "a.txt", "text/plain", Buffer.from("a"));
    const crafted: [unknown, RegExp][] = [
      [{ text: "steal", files: [theirs] }, /file this session does not have/],
      [{ text: "steal", files: [mine, { path: "../../etc/passwd", meta: { _type: "gradio.FileData" } }] }, /"Ask"/],
      [{ text: "steal", files: [{ path: "/etc/passwd", meta: { _type: "gradio.FileData" } }] }, /"Ask"/],
      [{ text: "many", files: [mine, mine, mine] }, /at most 2 files/],
      [{ text: "x".repeat(21), files: [] }, /at most 20 characters/],
      ["just text", /"Ask" expects \{ text, files \}/],
      [null, /"Ask" expects \{ text, files \}/],
      [[mine], /"Ask" expects \{ text, files \}/],
      [{ text: 3, files: [] }, /"Ask" expects text/],
      [{ text: "x", files: mine }, /at most 2 files/],
      [{ text: "x", files: [{ path: 7 }] }, /"Ask" expects a file/],
    ];
    for (const [i, [value, message]] of crafted.entries()) {
      const done = await a.client.run(`c${i}`, [value]);
      expect(done, JSON.stringify(value)).toMatchObject({ type: "error", code: "invalid_input" });
      expect((done as { message: string }).message).toMatch(message);
    }
    expect(calls).toBe(0);
    // The session's own file, within the bounds, is taken.
    expect(await a.client.run("ok", [{ text: "mine", files: [mine, mine] }])).toMatchObject({ type: "done" });
    expect(a.client.output()).toBe("3");
  });

  it("the official @gradio/client sends Gradio's { text, files } with handle_file and gets file URLs it can fetch; another client cannot reuse the upload", async () => {
    const seen: MultimodalInput[] = [];
    server = await TestServer.start(
      new Interface({ fn: (m: MultimodalInput) => (seen.push(m), [`${m.text}: ${m.files.map((f) => f.mimeType).join(", ")}`, { text: "back", files: m.files }] as const), inputs: ["multimodalTextbox"], outputs: ["text", "multimodalTextbox"] }),
    );
    const client = await Client.connect(server.url);
    try {
      const { data } = await client.predict("/predict", [{ text: "see", files: [handle_file(new Blob([png], { type: "image/png" }))] }]);
      const [said, back] = data as [string, { text: string; files: FileData[] }];
      expect(said).toBe("see: image/png");
      expect(back.files[0]!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/gradio_api\/file=/);
      expect(Buffer.from(await (await fetch(back.files[0]!.url!)).arrayBuffer())).toEqual(png);
      const path = back.files[0]!.path; // one of the first client's session's files
      const other = await Client.connect(server.url);
      await expect(other.predict("/predict", [{ text: "steal", files: [{ path, meta: { _type: "gradio.FileData" } }] }])).rejects.toMatchObject({ message: expect.stringMatching(/file this session does not have/) });
      other.close();
      expect(seen).toHaveLength(1);
    } finally {
      client.close();
    }
  });
});
