import { describe, expect, it } from "vitest";
import { useDemo } from "./useDemo.ts";

// The page's Client, when the process it sent a run to died before reading it: nothing of that
// run ever comes, so after reconnecting (a replay welcome) it resends the run, marked `resend`,
// and the server runs it once.
const ctx = useDemo(import.meta.url, { demo: "echo-chatbot" });

describe("a run frame lost with its connection", () => {
  it("is resent by the page once it reconnects, and answered once", async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    const sent: string[] = [];
    let dropped = false;
    // Between the page and the server: the first run frame is swallowed and the connection
    // cut, as if the server process had died before reading it.
    await page.routeWebSocket(/\/ws$/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const text = String(message);
        sent.push(text);
        if (!dropped && text.includes('"type":"run"')) {
          dropped = true;
          void ws.close();
          void server.close();
          return;
        }
        server.send(message);
      });
      server.onMessage((message) => ws.send(message));
    });
    await page.goto(ctx.demo.url);
    await page.getByRole("log").waitFor();
    await page.getByLabel("message").fill("hello there");
    await page.getByLabel("message").press("Enter");
    await page.waitForFunction(() => document.querySelectorAll('[role="log"] .message[data-index]').length === 2, undefined, { timeout: 30_000 });
    const turns = (await page.getByRole("log").locator(".message[data-index]").allTextContents()).map((t) => t.trim());
    expect(turns).toEqual(["hello there", "ereht olleh"]);
    await page.getByRole("button", { name: "Submit" }).waitFor();
    // Sent twice (the second time marked), run once.
    const runs = sent.filter((t) => t.includes('"type":"run"')).map((t) => JSON.parse(t) as { id: string; resend?: boolean });
    expect(runs.map((r) => r.resend === true)).toEqual([false, true]);
    expect(runs[0]!.id).toBe(runs[1]!.id);
    await context.close();
  });
});
