import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { startupErrorHeader, StartupErrorServer } from "./StartupErrorServer.ts";

let server: StartupErrorServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A GET with the Host header of our choosing (fetch will not send one). */
const get = (path: string, host?: string) =>
  new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    request({ hostname: "127.0.0.1", port: server!.port, path, headers: host ? { host } : {} }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    })
      .on("error", reject)
      .end();
  });

describe("the stand-in of an app that failed to start", () => {
  it("tells this machine's pages the error, escaped in its own page; a rebinding Host gets 403", async () => {
    server = await StartupErrorServer.start("127.0.0.1", 0, "SyntaxError: <script>alert(1)</script> at app.ts:3", true);
    const asked = await get("/startup-error");
    expect(asked.status).toBe(200);
    expect(asked.headers[startupErrorHeader]).toBe("1");
    expect(asked.body).toContain("SyntaxError: <script>");
    // Under a path prefix too.
    expect((await get("/demo/startup-error")).status).toBe(200);
    const page = await get("/");
    expect(page.status).toBe(503);
    expect(page.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page.body).not.toContain("<script>");
    expect((await get("/startup-error", "evil.example")).status).toBe(403);
    expect((await get("/", "evil.example:80")).status).toBe(403);
  });

  it("shows a shared app's testers no details", async () => {
    server = await StartupErrorServer.start("127.0.0.1", 0, "Error: API_KEY=sk-123 is not valid", false);
    const asked = await get("/startup-error");
    expect(asked.body).not.toContain("sk-123");
    expect(asked.body).toContain("terminal");
    expect((await get("/")).body).not.toContain("sk-123");
  });
});
