import { Interface } from "@dais/core";
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { LaunchOptions } from "../launch.ts";
import { TestServer } from "../testServer.ts";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const app = () => new Interface({ fn: (s: string) => s.toUpperCase(), inputs: ["text"], outputs: ["text"], title: "Secret demo" });
const start = async (options: LaunchOptions) => (server = await TestServer.start(app(), options));
const origin = () => new URL(server!.url).origin;
const get = (path: string, cookie?: string) => fetch(`${origin()}${path}`, { redirect: "manual", headers: cookie ? { cookie } : {} });

/** Opens the app's WebSocket with a cookie; resolves to "open" or the HTTP status it got. */
function upgrade(path: string, cookie?: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${origin().replace("http", "ws")}${path}`, { headers: cookie ? { cookie } : {} });
    ws.on("open", () => {
      ws.close();
      resolve("open");
    });
    ws.on("unexpected-response", (_req, res) => resolve(String(res.statusCode)));
    ws.on("error", () => resolve("error"));
  });
}

const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";

describe("share: true", () => {
  it("puts an unguessable token in the link; without it pages, API and WebSocket answer 401", async () => {
    await start({ share: true, host: "127.0.0.1" });
    const token = new URL(server!.url).searchParams.get("token");
    expect(token).toMatch(/^[\w-]{22}$/);
    for (const path of ["/", "/config", "/app.js", "/index.html"]) expect((await get(path)).status).toBe(401);
    expect(await (await get("/")).text()).toContain("This demo needs its link");
    expect(await upgrade("/ws")).toBe("401");
    expect((await get("/?token=wrong")).status).toBe(401);
  });

  it("following the link once sets a cookie and drops the token from the address", async () => {
    await start({ share: true, host: "127.0.0.1" });
    const token = new URL(server!.url).searchParams.get("token");
    const first = await get(`/?token=${token}`);
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/");
    const cookie = cookieOf(first);
    expect(first.headers.get("set-cookie")).toMatch(/HttpOnly/i);
    expect((await get("/", cookie)).status).toBe(200);
    expect((await get("/config", cookie)).status).toBe(200);
    expect(await upgrade("/ws", cookie)).toBe("open");
  });

  it("a restarted app keeps its token from DAIS_SHARE_TOKEN, so shared links keep working", async () => {
    process.env.DAIS_SHARE_TOKEN = "kept-token-kept-token-1";
    try {
      await start({ share: true, host: "127.0.0.1" });
      expect(new URL(server!.url).searchParams.get("token")).toBe("kept-token-kept-token-1");
    } finally {
      delete process.env.DAIS_SHARE_TOKEN;
    }
  });

  it("prints every network address with the token, and a QR code", async () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => void lines.push(a.join(" "));
    try {
      server = await TestServer.start(app(), { share: true, quiet: false, port: 0 });
    } finally {
      console.log = log;
    }
    const printed = lines.join("\n");
    expect(printed).toMatch(/Running on http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{22}/);
    for (const url of server.launched.lanUrls) expect(printed).toContain(`On your network: ${url}`);
    if (server.launched.lanUrls.length > 0) expect(printed).toContain("▄"); // the QR code's blocks
  });
});

describe("auth", () => {
  it("sends pages to a login page and API calls to 401 until the right password is given", async () => {
    await start({ auth: ["ada", "lovelace"] });
    const page = await get("/");
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("./login");
    expect(await (await get("/login")).text()).toContain('<form method="post" action="login">');
    expect((await get("/config")).status).toBe(401);
    expect(await upgrade("/ws")).toBe("401");
    const login = (user: string, password: string) =>
      fetch(`${origin()}/login`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ username: user, password }) });
    const wrong = await login("ada", "babbage");
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("Wrong username or password.");
    const right = await login("ada", "lovelace");
    expect(right.status).toBe(303);
    const cookie = cookieOf(right);
    expect((await get("/", cookie)).status).toBe(200);
    expect((await get("/config", cookie)).status).toBe(200);
    expect(await upgrade("/ws", cookie)).toBe("open");
  });

  it("answers a program's login (multipart, as Gradio's client sends) in JSON, and a crafted one without a stack trace", async () => {
    await start({ auth: ["ada", "lovelace"] });
    const form = (user: string, password: string) => {
      const f = new FormData();
      f.append("username", user);
      f.append("password", password);
      return f;
    };
    const wrong = await fetch(`${origin()}/login`, { method: "POST", body: form("ada", "babbage"), redirect: "manual" });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ detail: "Wrong username or password." });
    const right = await fetch(`${origin()}/login`, { method: "POST", body: form("ada", "lovelace"), redirect: "manual" });
    expect(right.status).toBe(200);
    expect(await right.json()).toEqual({ success: true });
    expect((await get("/config", cookieOf(right))).status).toBe(200);
    const post = (type: string, body: string) => fetch(`${origin()}/login`, { method: "POST", headers: { "content-type": type }, body, redirect: "manual" });
    expect((await post("multipart/form-data; boundary=zz", "--zz\r\ngarbage")).status).toBe(401);
    for (const type of ["multipart/form-data; boundary=zz", "application/x-www-form-urlencoded"]) {
      const huge = await post(type, "x".repeat(10_000));
      expect(huge.status).toBe(413);
      expect(await huge.text()).not.toMatch(/node_modules|at \w/);
    }
  });

  it("takes a checking function, and slows down guessing", async () => {
    await start({ auth: (user, password) => user === "tester" && password === `${user}!` });
    const login = (password: string) =>
      fetch(`${origin()}/login`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ username: "tester", password }) });
    expect((await login("tester!")).status).toBe(303);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await login(`guess${i}`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

describe("rootPath", () => {
  it("serves everything under the prefix, the WebSocket included", async () => {
    await start({ rootPath: "/lab/demo/" });
    expect(server!.url).toMatch(/\/lab\/demo\/$/);
    const bare = await get("/lab/demo");
    expect(bare.status).toBe(301);
    expect(bare.headers.get("location")).toBe("/lab/demo/");
    expect((await get("/lab/demo/")).status).toBe(200);
    expect(((await (await get("/lab/demo/config")).json()) as { title: string }).title).toBe("Secret demo");
    expect((await get("/config")).status).toBe(404);
    expect(await upgrade("/lab/demo/ws")).toBe("open");
    expect(await upgrade("/ws")).not.toBe("open");
  });
});

describe("auth behind a relay or proxy", () => {
  it("slows down the visitor who guesses, not everyone behind the same proxy", async () => {
    await start({ auth: ["ada", "lovelace"], trustProxy: true });
    const login = (password: string, visitor: string) =>
      fetch(`${origin()}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": visitor },
        body: new URLSearchParams({ username: "ada", password }),
      });
    for (let i = 0; i < 10; i++) await login(`guess${i}`, "203.0.113.7");
    expect((await login("lovelace", "203.0.113.7")).status).toBe(429);
    expect((await login("lovelace", "198.51.100.2")).status).toBe(303);
  });
});

describe("login throttling cannot be sidestepped", () => {
  const login = (password: string, headers: Record<string, string> = {}) =>
    fetch(`${origin()}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams({ username: "ada", password }),
    });

  it("ignores X-Forwarded-For unless the app trusts a proxy: a guesser who invents a new address each time is still stopped", async () => {
    await start({ auth: ["ada", "lovelace"] });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login(`guess${i}`, { "x-forwarded-for": `203.0.113.${i}` })).status);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it("a successful login does not reset the count: one good account gives no fresh guesses", async () => {
    await start({ auth: ["ada", "lovelace"] });
    const statuses: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) statuses.push((await login(`guess${round}-${i}`)).status);
      statuses.push((await login("lovelace")).status);
    }
    // 12 wrong guesses in all: the 11th is refused although logins succeeded in between.
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.at(-2)).toBe(429);
  });

  it("counts attempts before checking them: 40 at once get at most 10 answers of wrong password", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let checking = 0;
    await start({
      auth: async () => {
        checking++;
        await held;
        return false;
      },
    });
    const all = Promise.all(Array.from({ length: 40 }, (_, i) => login(`guess${i}`).then((r) => r.status)));
    // Every attempt that got past the limit is now in the check; the rest were answered.
    await expect.poll(() => checking, { timeout: 30_000 }).toBe(10);
    release();
    const statuses = await all;
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
  });
});

describe("share link and cookies", () => {
  it("never redirects off the app after a valid token (/.//evil.example/x)", async () => {
    await start({ share: true, host: "127.0.0.1" });
    const token = new URL(server!.url).searchParams.get("token");
    // Raw paths: fetch would tidy `/.//` away before sending it.
    const rawGet = (path: string) =>
      new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
        const u = new URL(origin());
        request({ hostname: u.hostname, port: u.port, path }, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, location: res.headers.location });
        })
          .on("error", reject)
          .end();
      });
    for (const path of [`/.//evil.example/x?token=${token}`, `/./\\evil.example/?token=${token}`, `/%2e//evil.example/?token=${token}`]) {
      const res = await rawGet(path);
      expect(res.status, path).toBe(303);
      expect(res.location, path).toMatch(/^\/(?![/\\])/);
    }
  });

  it("keeps a value derived from the token in the cookie, not the token", async () => {
    await start({ share: true, host: "127.0.0.1" });
    const token = new URL(server!.url).searchParams.get("token")!;
    const res = await get(`/?token=${token}`);
    const cookie = cookieOf(res);
    expect(cookie).not.toContain(token);
    expect((await get("/", cookie)).status).toBe(200);
    // The token itself in the cookie is not a session.
    expect((await get("/", `${cookie.split("=")[0]}=${token}`)).status).toBe(401);
  });

  it("marks cookies Secure when the visitor came over https through a trusted proxy", async () => {
    await start({ share: true, host: "127.0.0.1", trustProxy: true });
    const token = new URL(server!.url).searchParams.get("token");
    const res = await fetch(`${origin()}/?token=${token}`, { redirect: "manual", headers: { "x-forwarded-proto": "https" } });
    expect(res.headers.get("set-cookie")).toMatch(/;\s*Secure/i);
    const plain = await get(`/?token=${token}`);
    expect(plain.headers.get("set-cookie")).not.toMatch(/Secure/i);
  });
});
