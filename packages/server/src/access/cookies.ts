import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { parseCookie } from "cookie";

/** A cookie's value from a request, if present. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  return header ? parseCookie(header)[name] : undefined;
}

/**
 * Cookies are shared by every port of a host, so each app names its cookies after a digest of
 * its own secret: two shared apps on one machine do not overwrite each other's.
 */
export function cookieName(kind: string, secret: string): string {
  return `dais_${kind}_${createHash("sha256").update(secret).digest("hex").slice(0, 10)}`;
}

/** Compares secrets in constant time. */
export function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = createHash("sha256").update(a).digest();
  const y = createHash("sha256").update(b).digest();
  return timingSafeEqual(x, y);
}
