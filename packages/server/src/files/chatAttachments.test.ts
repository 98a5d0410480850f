import { ChatInterface, type ChatMessage, type FileData, type MultimodalMessage } from "@dais/core";
import { afterEach, describe, expect, it } from "vitest";
import { TestServer } from "../testServer.ts";

// A multimodal ChatInterface on a real server: files uploaded as the page does, then sent
// with a message (fn 0's inputs: message box, attachments, history).
let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

async function upload(base: string, session: string, name: string, type: string, bytes: Uint8Array): Promise<FileData> {
  const form = new FormData();
  form.append("files", new Blob([bytes], { type }), name);
  const [path] = (await (await fetch(`${base}gradio_api/upload?session=${session}`, { method: "POST", body: form })).json()) as string[];
  return { path: path!, url: `gradio_api/file=${path}`, orig_name: "claimed.exe", size: 1, mime_type: "application/x-claimed", meta: { _type: "gradio.FileData" } };
}

describe("multimodal ChatInterface", () => {
  it("hands fn the message's files, shows them in the user's turn as the server recorded them, and again on Retry", async () => {
    const got: MultimodalMessage[] = [];
    const histories: ChatMessage[][] = [];
    server = await TestServer.start(new ChatInterface({ multimodal: true, fn: (m, h) => (got.push(m), histories.push(h), `${m.files.length} files`) }));
    const { client, welcome } = await server.session();
    const f = await upload(server.url, welcome.session, "dot.png", "image/png", png);
    expect(await client.run("a", ["look", [f]])).toMatchObject({ type: "done" });
    expect(got[0]).toMatchObject({ text: "look", files: [{ name: "dot.png", mimeType: "image/png", size: png.length }] });
    const shown = client.values[0] as ChatMessage[];
    expect(shown[0]).toMatchObject({ role: "user", content: "look", files: [{ path: f.path, orig_name: "dot.png", mime_type: "image/png", size: png.length }] });
    expect(JSON.stringify(shown)).not.toContain(got[0]!.files[0]!.path); // the disk path stays on the server
    await client.run("r", [], 1);
    expect(got[1]).toMatchObject({ text: "look", files: [{ name: "dot.png" }] });
    await client.run("b", ["next", []]);
    expect(JSON.stringify(histories[2])).not.toContain("localFiles");
  });

  it("refuses a file that is not one of the session's uploads, and more files than a message takes", async () => {
    let calls = 0;
    server = await TestServer.start(new ChatInterface({ multimodal: true, fn: () => String(++calls) }));
    const a = await server.session();
    const b = await server.session();
    const theirs = await upload(server.url, b.welcome.session, "secret.txt", "text/plain", Buffer.from("secret"));
    for (const path of [theirs.path, "../../etc/passwd", "/etc/passwd"]) {
      expect(await a.client.run(`x${path.length}`, ["steal", [{ path, meta: { _type: "gradio.FileData" } }]])).toMatchObject({ type: "error", code: "invalid_input" });
    }
    const mine = await upload(server.url, a.welcome.session, "a.txt", "text/plain", Buffer.from("a"));
    expect(await a.client.run("many", ["x", Array.from({ length: 11 }, () => mine)])).toMatchObject({ type: "error", code: "invalid_input", message: expect.stringContaining("at most 10 files") });
    expect(calls).toBe(0);
  });
});
