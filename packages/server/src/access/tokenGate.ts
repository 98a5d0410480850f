import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { AccessGate } from "./AccessGate.ts";
import { refusalPage } from "./AccessGate.ts";
import { type TrustProxy, visitorOf } from "../visitorOf.ts";
import { cookieName, readCookie, sameSecret } from "./cookies.ts";

/** An unguessable access token for a shared link (128 bits). */
export function newToken(): string {
  return randomBytes(16).toString("base64url");
}

/**
 * The gate of `share: true`: the printed link carries `?token=`. Following it once sets a cookie
 * (and drops the token from the address bar); programs send it as a bearer token. Without any
 * of these, pages, API and WebSocket answer 401. Nobody on the network can use the app without
 * the link.
 */
export function tokenGate(token: string, cookiePath: string, trustProxy: TrustProxy = false): AccessGate {
  const name = cookieName("token", token);
  // The cookie holds a value derived from the token, not the token: a leaked cookie (a log, a
  // shared browser profile) does not give away the link.
  const session = createHash("sha256").update(`dais share cookie\0${token}`).digest("base64url");
  // Programs show the token as a bearer token (`Authorization: Bearer <token>`, what the openai
  // client sends as its apiKey); pages carry the cookie the link set.
  const valid = (req: IncomingMessage) => sameSecret(readCookie(req, name), session) || sameSecret(bearerOf(req), token);
  return {
    routes() {},
    middleware(req, res, next) {
      const given = typeof req.query.token === "string" ? req.query.token : undefined;
      if (given !== undefined && sameSecret(given, token)) {
        res.cookie(name, session, { httpOnly: true, sameSite: "lax", path: cookiePath, secure: visitorOf(req, trustProxy).proto === "https", maxAge: 30 * 24 * 3600 * 1000 });
        const url = new URL(req.originalUrl, "http://x");
        url.searchParams.delete("token");
        // `/.//evil.example/x` has the path `//evil.example/x`, which a browser reads as another host.
        return res.redirect(303, url.pathname.replace(/^\/+/, "/") + url.search);
      }
      if (valid(req)) return next();
      // Programs get a sentence they can show, as the login gate gives them; people get a page.
      const wantsPage = req.method === "GET" && (req.path === "/" || req.path.endsWith(".html"));
      if (!wantsPage) return void res.status(401).json({ error: "This app needs its share token: open its full link, or send the token as `Authorization: Bearer <token>`." });
      res.status(401).type("html").send(refusalPage("This demo needs its link", "Open the full link you were given (it ends in <code>?token=…</code>). Ask whoever shared the demo for it."));
    },
    allowsUpgrade: valid,
  };
}

/** The token of an `Authorization: Bearer <token>` header, if there is one. */
function bearerOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === "string" ? /^Bearer ([\w-]{1,256})$/.exec(header) : null;
  return match?.[1];
}
