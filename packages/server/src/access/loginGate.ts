import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import express, { type Request, type Response } from "express";
import type { AccessGate } from "./AccessGate.ts";
import { cookieName, readCookie, sameSecret } from "./cookies.ts";
import { type TrustProxy, visitorOf } from "../visitorOf.ts";
import { ExpiringMap } from "./ExpiringMap.ts";
import { loginPage } from "./loginPage.ts";

/** `auth` as launch() takes it: one user, several, or a function that checks. */
export type Auth = readonly [user: string, password: string] | readonly (readonly [string, string])[] | ((user: string, password: string) => boolean | Promise<boolean>);

/** Turns any form of `auth` into one check. */
export function authCheck(auth: Auth): (user: string, password: string) => Promise<boolean> {
  if (typeof auth === "function") return async (u, p) => (await auth(u, p)) === true;
  const pairs = (typeof auth[0] === "string" ? [auth] : auth) as readonly (readonly [string, string])[];
  return async (u, p) => pairs.some(([user, password]) => sameSecret(u, user) && sameSecret(p, password));
}

/** How many login attempts an address gets per window, and how long a login lasts. */
export const loginLimits = { attempts: 10, windowMs: 60_000, sessionMs: 7 * 24 * 3600 * 1000, maxAddresses: 10_000, maxSessions: 10_000 };

/**
 * The gate of `auth`: a login page. A good login gets a session cookie (an unguessable id the
 * server remembers for `loginLimits.sessionMs`); pages without one are sent to the login page,
 * API calls and WebSocket upgrades get 401. Attempts are limited per visitor address: each is
 * counted before the password is checked (so concurrent guesses cannot all slip under the
 * limit) and only a successful one is given back (so one good account does not reset the count).
 */
export function loginGate(auth: Auth, cookiePath: string, title: string, trustProxy: TrustProxy = false): AccessGate {
  const check = authCheck(auth);
  const sessions = new ExpiringMap<string, true>({ ttlMs: loginLimits.sessionMs, max: loginLimits.maxSessions });
  const name = cookieName("login", randomBytes(8).toString("hex"));
  const attempts = new ExpiringMap<string, number>({ ttlMs: loginLimits.windowMs, max: loginLimits.maxAddresses });
  const valid = (req: IncomingMessage) => {
    const id = readCookie(req, name);
    return id !== undefined && sessions.has(id);
  };
  return {
    routes(router) {
      router.get("/login", (_req, res) => {
        res.type("html").send(loginPage(title));
      });
      router.post("/login", express.urlencoded({ extended: false, limit: "4kb" }), express.raw({ type: "multipart/form-data", limit: "4kb" }), async (req: Request, res: Response) => {
        const visitor = visitorOf(req, trustProxy);
        const ip = visitor.address;
        // The page's form sends urlencoded and follows a redirect; a program (`@gradio/client`'s
        // `auth`) sends multipart form data and wants Gradio's answer: JSON, the cookie on a 200.
        const program = Buffer.isBuffer(req.body);
        const refuse = (status: number, text: string) =>
          program ? res.status(status).json({ detail: text, error: text }) : res.status(status).type("html").send(loginPage(title, text));
        const count = attempts.get(ip) ?? 0;
        if (count >= loginLimits.attempts) return refuse(429, "Too many attempts. Wait a minute and try again.");
        attempts.set(ip, count + 1, true);
        const body = program ? await formFields(req.body as Buffer, req.headers["content-type"] ?? "") : ((req.body ?? {}) as Record<string, unknown>);
        const user = typeof body.username === "string" ? body.username : "";
        const password = typeof body.password === "string" ? body.password : "";
        let ok = false;
        try {
          ok = await check(user, password);
        } catch (e) {
          console.error("[dais] the auth function failed:", e);
        }
        if (!ok) return refuse(401, "Wrong username or password.");
        const now = attempts.get(ip);
        if (now !== undefined) attempts.set(ip, Math.max(0, now - 1), true);
        const id = randomBytes(24).toString("base64url");
        sessions.set(id, true);
        res.cookie(name, id, { httpOnly: true, sameSite: "lax", path: cookiePath, secure: visitor.proto === "https", maxAge: loginLimits.sessionMs });
        if (program) return res.json({ success: true });
        res.redirect(303, "./");
      });
      router.post("/logout", (req, res) => {
        const id = readCookie(req, name);
        if (id) sessions.delete(id);
        res.clearCookie(name, { path: cookiePath });
        res.redirect(303, "./login");
      });
    },
    middleware(req, res, next) {
      if (valid(req)) return next();
      const wantsPage = req.method === "GET" && (req.path === "/" || req.path.endsWith(".html"));
      if (wantsPage) return res.redirect(302, "./login");
      res.status(401).json({ error: "Log in first." });
    },
    allowsUpgrade: valid,
  };
}

/** The text fields of a multipart body (at most a few KB, bounded by the parser before this); malformed gives none. */
async function formFields(body: Buffer, contentType: string): Promise<Record<string, unknown>> {
  try {
    const form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
    return { username: form.get("username"), password: form.get("password") };
  } catch {
    return {};
  }
}
