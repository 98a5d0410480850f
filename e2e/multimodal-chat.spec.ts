import { describe, expect, it } from "vitest";
import { idle, send, turns, waitForTurns } from "./chatPage.ts";
import { useDemo } from "./useDemo.ts";

const ctx = useDemo(import.meta.url);
const dot = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64");

describe("multimodal-chat", () => {
  it("attaches an image and a file to a message: the bubble shows them, and fn receives them", async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    await page.goto(ctx.demo.url);
    await page.getByRole("log").waitFor();
    await page.getByLabel("Attach files").setInputFiles([
      { name: "dot.png", mimeType: "image/png", buffer: dot },
      { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello notes") },
    ]);
    await page.getByRole("list", { name: "Attached files" }).getByText("notes.txt").waitFor();
    await send(page, "what are these?");
    await idle(page);
    await waitForTurns(page, 2);
    expect(await page.getByRole("list", { name: "Attached files" }).count()).toBe(0);
    const image = turns(page).nth(0).getByRole("img", { name: "dot.png" });
    await image.waitFor();
    // The image came from the server's file route: it loaded.
    await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('[role="log"] img.message-image')?.naturalWidth ?? 0) === 1);
    expect(await turns(page).nth(0).getByRole("link", { name: /notes\.txt/ }).getAttribute("download")).toBe("notes.txt");
    const answer = (await turns(page).nth(1).textContent()) ?? "";
    expect(answer).toContain(`dot.png (image/png, ${dot.length} bytes)`);
    expect(answer).toContain("notes.txt (text/plain, 11 bytes)");
    expect(answer).toContain("And you said: what are these?");
    await page.context().close();
  });

  it("sends files with no text, and a message with none after them", async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    await page.goto(ctx.demo.url);
    await page.getByRole("log").waitFor();
    await page.getByLabel("Attach files").setInputFiles([{ name: "only.png", mimeType: "image/png", buffer: dot }]);
    await page.getByRole("list", { name: "Attached files" }).waitFor();
    await page.getByRole("button", { name: "Submit" }).click();
    await waitForTurns(page, 2);
    await idle(page);
    expect(await turns(page).nth(1).textContent()).toContain("You sent 1 file");
    await send(page, "just text");
    await idle(page);
    await waitForTurns(page, 4);
    expect(await turns(page).nth(3).textContent()).toContain("No files this time.");
    await page.context().close();
  });

  it("Enter pressed while a file still uploads waits for it, says so, and sends the message with the file", async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    await page.goto(ctx.demo.url);
    await page.getByRole("log").waitFor();
    // The upload is held until the test lets it go, as a slow connection would.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const held = new Promise<void>((r) => (arrived = r));
    await page.route("**/gradio_api/upload**", async (route) => {
      arrived();
      await released;
      await route.continue();
    });
    await page.getByLabel("Attach files").setInputFiles([{ name: "slow.txt", mimeType: "text/plain", buffer: Buffer.from("slow") }]);
    await held;
    await send(page, "read this");
    await page.getByRole("button", { name: "Waiting for upload…" }).waitFor();
    release();
    await waitForTurns(page, 2);
    await idle(page);
    const answer = (await turns(page).nth(1).textContent()) ?? "";
    expect(answer).toContain("slow.txt (text/plain, 4 bytes)");
    expect(answer).toContain("And you said: read this");
    await page.context().close();
  });
});
