import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import express from "express";
import type { AccessGate } from "./AccessGate.ts";
import { cookieName, readCookie, sameSecret } from "./cookies.ts";
import { loginPage } from "./loginPage.ts";

/** `auth` as launch() takes it: one user, several, or a function that checks. */
export type Auth = readonly [user: string, password: string] | readonly (readonly [string, string])[] | ((user: string, password: string) => boolean | Promise<boolean>);

/** Turns any form of `auth` into one check. */
export function authCheck(auth: Auth): (user: string, password: string) => Promise<boolean> {
  if (typeof auth === "function") return async (u, p) => (await auth(u, p)) === true;
  const pairs = (typeof auth[0] === "string" ? [auth] : auth) as readonly (readonly [string, string])[];
  return async (u, p) => pairs.some(([user, password]) => sameSecret(u, user) && sameSecret(p, password));
}

/**
 * The gate of `auth`: a login page. A good login gets a session cookie (an unguessable id the
 * server remembers); pages without one are sent to the login page, API calls and WebSocket
 * upgrades get 401. Failed attempts are slowed down per address.
 */
export function loginGate(auth: Auth, cookiePath: string, title: string): AccessGate {
  const check = authCheck(auth);
  const sessions = new Set<string>();
  const name = cookieName("login", randomBytes(8).toString("hex"));
  const failures = new Map<string, { count: number; since: number }>();
  const valid = (req: IncomingMessage) => {
    const id = readCookie(req, name);
    return id !== undefined && sessions.has(id);
  };
  const tooMany = (ip: string) => {
    const f = failures.get(ip);
    if (!f || Date.now() - f.since > 60_000) return false;
    return f.count >= 10;
  };
  return {
    routes(router) {
      router.get("/login", (_req, res) => {
        res.type("html").send(loginPage(title));
      });
      router.post("/login", express.urlencoded({ extended: false, limit: "4kb" }), async (req, res) => {
        const ip = clientAddress(req);
        if (tooMany(ip)) return res.status(429).type("html").send(loginPage(title, "Too many attempts. Wait a minute and try again."));
        const body = (req.body ?? {}) as Record<string, unknown>;
        const user = typeof body.username === "string" ? body.username : "";
        const password = typeof body.password === "string" ? body.password : "";
        if (!(await check(user, password))) {
          const f = failures.get(ip);
          failures.set(ip, f && Date.now() - f.since <= 60_000 ? { count: f.count + 1, since: f.since } : { count: 1, since: Date.now() });
          return res.status(401).type("html").send(loginPage(title, "Wrong username or password."));
        }
        failures.delete(ip);
        const id = randomBytes(24).toString("base64url");
        sessions.add(id);
        res.cookie(name, id, { httpOnly: true, sameSite: "lax", path: cookiePath });
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

/**
 * Who is knocking, for slowing down guessing. Through a relay tunnel or a local reverse proxy
 * every request comes from loopback, so there the proxy's X-Forwarded-For names the visitor;
 * from anywhere else the header could be forged and is ignored.
 */
function clientAddress(req: IncomingMessage): string {
  const direct = req.socket.remoteAddress ?? "";
  const loopback = direct === "::1" || direct.startsWith("127.") || direct.startsWith("::ffff:127.");
  const forwarded = req.headers["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  return loopback && first ? first : direct;
}
