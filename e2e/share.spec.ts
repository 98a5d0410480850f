import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { listen } from "@dais/relay";
import { proxyRequest, proxyUpgrade } from "../packages/dais/src/cli/proxy.ts";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./browser.ts";
import { type RunningDemo, startApp, startDemo } from "./demo.ts";

// Sharing a demo with testers: the token link, the login page, and a reverse proxy under a path.
let browser: Browser;
const running: RunningDemo[] = [];
const servers: Server[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  for (const d of running) await d.stop();
  for (const s of servers) s.close();
});

async function say(page: Page, text: string): Promise<void> {
  await page.getByLabel("message").fill(text);
  await page.getByLabel("message").press("Enter");
}
const turns = async (page: Page) => (await page.locator('[role="log"] .message[data-index]').allTextContents()).map((t) => t.trim());
const waitForTurns = (page: Page, n: number) => page.waitForFunction((count) => document.querySelectorAll('[role="log"] .message[data-index]').length === count, n);

describe("share: true", () => {
  it("the link with its token opens the app; without it the tester sees a 401 page", async () => {
    const demo = await startDemo("echo-chatbot", [], { DAIS_SHARE: "1" });
    running.push(demo);
    // The printed local link carries the token; the server listens on the network too.
    const link = /Running on (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(demo.output())?.[1];
    expect(link).toBeDefined();
    await expect.poll(() => demo.output()).toMatch(/On your network: http:\/\/[\d.]+:\d+\/\?token=/);
    const bare = new URL(link!).origin + "/";

    const stranger = await browser.newPage();
    const refused = await stranger.goto(bare);
    expect(refused?.status()).toBe(401);
    expect(await stranger.textContent("h1")).toBe("This demo needs its link");
    await stranger.close();

    const context = await browser.newContext();
    const tester = await context.newPage();
    await tester.goto(link!);
    expect(tester.url()).toBe(bare); // the token left the address bar for a cookie
    await say(tester, "through the link");
    await waitForTurns(tester, 2);
    await tester.reload();
    await waitForTurns(tester, 2);
    expect(await turns(tester)).toEqual(["through the link", "knil eht hguorht"]);
    await context.close();
  });
});

describe("auth", () => {
  it("shows a login page; a wrong password is refused, the right one opens the app", async () => {
    const app = await startApp(fileURLToPath(new URL("fixtures/authApp.ts", import.meta.url)));
    running.push(app);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(app.url);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.getByLabel("Username").fill("tester");
    await page.getByLabel("Password").fill("wrong");
    await page.getByRole("button", { name: "Log in" }).click();
    expect(await page.getByRole("alert").textContent()).toBe("Wrong username or password.");
    await page.getByLabel("Username").fill("tester");
    await page.getByLabel("Password").fill("s3cret");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByLabel("name", { exact: true }).fill("Ada");
    await page.getByRole("button", { name: "Submit" }).click();
    await expect.poll(() => page.getByLabel("output", { exact: true }).inputValue()).toBe("Hello, Ada!");
    await context.close();
  });
});

describe("behind a reverse proxy", () => {
  /** A reverse proxy on loopback that serves `prefix` from `target`, passing the prefix on or stripping it. */
  async function reverseProxy(prefix: string, target: string, strip: boolean): Promise<string> {
    const port = Number(new URL(target).port);
    const path = (url = "/") => (strip ? url.slice(prefix.length - 1) || "/" : url);
    const server = createServer((req, res) => {
      if (!req.url?.startsWith(prefix)) return void res.writeHead(404).end("not proxied");
      proxyRequest(req, res, { host: "127.0.0.1", port }, path(req.url));
    });
    server.on("upgrade", (req, socket, head) => proxyUpgrade(req, socket as Socket, head, { host: "127.0.0.1", port }, path(req.url)));
    servers.push(server);
    return `http://127.0.0.1:${await listen(server, "127.0.0.1", 0, 1)}${prefix}`;
  }

  async function chatThrough(url: string): Promise<void> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await say(page, "proxied");
    await waitForTurns(page, 2);
    await page.reload();
    await waitForTurns(page, 2);
    expect(await turns(page)).toEqual(["proxied", "deixorp"]);
    await context.close();
  }

  it("works under a path prefix the proxy passes on (rootPath)", async () => {
    const demo = await startDemo("echo-chatbot", [], { DAIS_ROOT_PATH: "/apps/echo" });
    running.push(demo);
    expect(demo.url).toMatch(/\/apps\/echo\/$/);
    await chatThrough(await reverseProxy("/apps/echo/", demo.url, false));
  });

  it("works under a path prefix the proxy strips (no setting needed)", async () => {
    const demo = await startDemo("echo-chatbot");
    running.push(demo);
    await chatThrough(await reverseProxy("/lab/", demo.url, true));
  });
});
