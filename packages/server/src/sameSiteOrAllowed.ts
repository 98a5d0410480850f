import type { IncomingMessage } from "node:http";

/**
 * Whether a request may come from the page that sent it: no Origin (a program, not a browser),
 * an origin the app allows, or the app's own host. Used by the upload route and the Gradio API.
 */
export function sameSiteOrAllowed(req: IncomingMessage, allowed: string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || allowed.includes("*") || allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === (req.headers["x-forwarded-host"] ?? req.headers.host);
  } catch {
    return false;
  }
}
