import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./browser.ts";
import { type RunningDemo, startApp } from "./demo.ts";

// A person records with the microphone (Chromium's fake device), uploads several documents and
// a video, and sees what the function received and the files it handed back.
let app: RunningDemo;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  [app, browser] = await Promise.all([
    startApp(new URL("./fixtures/files.ts", import.meta.url).pathname),
    launchBrowser(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("files", () => {
  it("records a voice, uploads documents and a video, and shows what came back", async () => {
    const context = await browser.newContext();
    await context.grantPermissions(["microphone"], { origin: new URL(app.url).origin });
    const page = await context.newPage();
    await page.goto(app.url);
    // No upload picker for a microphone-only input: Record is the way in.
    await page.getByRole("button", { name: "Record Voice with the microphone" }).click();
    await page.getByRole("status").getByText("Recording…").waitFor();
    await page.getByRole("button", { name: "Stop recording Voice" }).click();
    const voice = page.getByRole("group", { name: "Voice", exact: true });
    await voice.getByRole("link", { name: /^Download recording\.(webm|ogg)$/ }).waitFor();
    expect(await voice.locator("audio").count()).toBe(1);

    await page.getByLabel("Upload Documents").setInputFiles([
      { name: "a.txt", mimeType: "text/plain", buffer: Buffer.from("first") },
      { name: "b.csv", mimeType: "text/csv", buffer: Buffer.from("x,y\n1,2\n") },
    ]);
    await expect.poll(() => page.getByRole("group", { name: "Documents", exact: true }).getByRole("link").allTextContents()).toEqual(["a.txt", "b.csv"]);
    await page.getByLabel("Upload Clip").setInputFiles({ name: "clip.webm", mimeType: "video/webm", buffer: Buffer.from("not much of a video") });
    await page.getByRole("group", { name: "Clip", exact: true }).locator("video").waitFor();

    await page.getByRole("button", { name: "Submit" }).click();
    const received = page.getByLabel("Received");
    await expect.poll(() => received.inputValue()).toMatch(/^voice: recording\.(webm|ogg) \(audio\/(webm|ogg), [1-9]\d* bytes\)$/m);
    expect(await received.inputValue()).toContain("documents: a.txt (text/plain, 5 bytes), b.csv (text/csv, 8 bytes)\nclip: clip.webm (video/webm, 19 bytes)");
    // The files came back: a player for the voice, links that download the documents' bytes.
    const back = page.getByRole("group", { name: "Documents back" });
    await expect.poll(() => back.getByRole("link").allTextContents()).toEqual(["a.txt", "b.csv"]);
    const texts = await back.getByRole("link").evaluateAll((links) => Promise.all(links.map(async (a) => (await fetch((a as HTMLAnchorElement).href)).text())));
    expect(texts).toEqual(["first", "x,y\n1,2\n"]);
    const voiceBack = page.getByRole("group", { name: "Voice back" }).locator("audio");
    await voiceBack.waitFor();
    // The browser can read the recording it is given back (its length is known once loaded).
    await expect.poll(() => voiceBack.evaluate((a: HTMLAudioElement) => a.readyState >= 1)).toBe(true);
    await context.close();
  });

  it("removes a document from the list before it is sent", async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await page.getByLabel("Upload Documents").setInputFiles([
      { name: "keep.txt", mimeType: "text/plain", buffer: Buffer.from("k") },
      { name: "drop.txt", mimeType: "text/plain", buffer: Buffer.from("d") },
    ]);
    await page.getByRole("button", { name: "Remove drop.txt" }).click();
    await page.getByRole("button", { name: "Submit" }).click();
    await expect.poll(() => page.getByLabel("Received").inputValue()).toContain("documents: keep.txt (text/plain, 1 bytes)\nclip: none");
    await page.close();
  });
});

describe("a Submit pressed while a file uploads", () => {
  it("waits for the upload, says so, and sends the file", async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
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
    await page.getByLabel("Upload Documents").setInputFiles({ name: "late.txt", mimeType: "text/plain", buffer: Buffer.from("late") });
    await held;
    await page.getByRole("button", { name: "Submit" }).click();
    const waiting = page.getByRole("button", { name: "Waiting for upload…" });
    await waiting.waitFor();
    expect(await waiting.getAttribute("aria-busy")).toBe("true");
    release();
    await expect.poll(() => page.getByLabel("Received").inputValue()).toContain("documents: late.txt (text/plain, 4 bytes)");
    await page.getByRole("button", { name: "Submit" }).waitFor();
    await page.close();
  });

  it("does not send the run when the upload fails, and shows why", async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const held = new Promise<void>((r) => (arrived = r));
    await page.route("**/gradio_api/upload**", async (route) => {
      arrived();
      await released;
      await route.fulfill({ status: 413, contentType: "application/json", body: JSON.stringify({ detail: "That file is too large." }) });
    });
    // Runs the page sends go over the socket: none may go out.
    const sent: string[] = [];
    page.on("websocket", (ws) => ws.on("framesent", (f) => sent.push(String(f.payload))));
    await page.getByLabel("Upload Documents").setInputFiles({ name: "big.txt", mimeType: "text/plain", buffer: Buffer.from("big") });
    await held;
    await page.getByRole("button", { name: "Submit" }).click();
    await page.getByRole("button", { name: "Waiting for upload…" }).waitFor();
    release();
    await expect.poll(() => page.getByRole("alert").allTextContents()).toContain("That file is too large.");
    await page.getByRole("button", { name: "Submit" }).waitFor();
    expect(sent.filter((f) => f.includes('"type":"run"'))).toEqual([]);
    expect(await page.getByLabel("Received").inputValue()).toBe("");
    await page.close();
  });
});
