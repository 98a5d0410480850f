import type { Browser, Page } from "playwright-core";

export interface LoadedFile {
  url: string;
  type: "script" | "stylesheet" | "document" | "other";
  /** Bytes on the wire (compressed as served). */
  bytes: number;
}

/**
 * What a page really loads in a real browser until the network is idle: every file, its type
 * and the bytes that crossed the wire. Lazily loaded chunks (maths, highlighting) are not
 * fetched by an empty chat, so they do not count.
 */
export async function pageWeight(
  browser: Browser,
  url: string,
  /** What shows the page is drawn: the chat's log by default. */
  ready: (page: Page) => Promise<unknown> = (page) => page.getByRole("log").waitFor(),
): Promise<{ files: LoadedFile[]; jsCssBytes: number }> {
  const page = await browser.newPage();
  const pending: Promise<LoadedFile>[] = [];
  page.on("requestfinished", (request) => {
    pending.push(
      request.sizes().then((sizes) => {
        const kind = request.resourceType();
        const type = kind === "script" || kind === "stylesheet" || kind === "document" ? kind : "other";
        return { url: request.url(), type, bytes: sizes.responseBodySize };
      }),
    );
  });
  await page.goto(url, { waitUntil: "networkidle" });
  await ready(page);
  const files = await Promise.all(pending);
  await page.close();
  const jsCssBytes = files.filter((f) => f.type === "script" || f.type === "stylesheet").reduce((n, f) => n + f.bytes, 0);
  return { files, jsCssBytes };
}

/** The chat page's budget for JavaScript and CSS on the wire (Gradio's is about 330 KB). */
export const chatPageBudget = 40 * 1024;
