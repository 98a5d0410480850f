import type { IncomingMessage } from "node:http";
import type { Request, Response, Router } from "express";
import { plainPageStyle } from "@dais/core";

/**
 * Who may use the app: a gate checks every page, API call and WebSocket upgrade. Gates are
 * built by `launch()` from `share` (an access token in the link) and `auth` (a login page).
 */
export interface AccessGate {
  /** Routes the gate needs (a login page), mounted before everything else. */
  routes(router: Router): void;
  /** The express middleware that lets a request through, redirects it, or answers 401. */
  middleware: (req: Request, res: Response, next: () => void) => void;
  /** Whether a WebSocket upgrade may go through (it carries the same cookies). */
  allowsUpgrade(req: IncomingMessage): boolean;
}

/** A small HTML page for refusals, so a tester sees a sentence rather than a bare status. */
export function refusalPage(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${plainPageStyle}body{font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;background:var(--bg);color:var(--text)}h1{font-size:1.3rem}</style></head><body><h1>${title}</h1><p>${text}</p></body></html>`;
}
