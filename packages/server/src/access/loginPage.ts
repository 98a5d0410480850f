import { escapeHtml, plainPageStyle } from "@dais/core";

/** The login page: plain HTML that works without the app's scripts. Its URLs are relative. */
export function loginPage(title: string, error?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Log in${title ? ` · ${escapeHtml(title)}` : ""}</title>
<style>${plainPageStyle}body{font-family:system-ui,sans-serif;background:var(--bg);color:var(--text);margin:0}main{max-width:22rem;margin:14vh auto;background:var(--surface);border:1px solid var(--border);border-radius:12px;padding:24px}h1{font-size:1.25rem;margin:0 0 16px}label{display:block;font-size:.85rem;font-weight:600;color:var(--muted);margin:12px 0 4px}input{font:inherit;width:100%;box-sizing:border-box;padding:8px 10px;border:1px solid var(--border);border-radius:8px;background:var(--surface);color:var(--text)}button{margin-top:18px;width:100%;font:inherit;font-weight:600;padding:9px;border:0;border-radius:8px;background:var(--accent);color:var(--accent-text);cursor:pointer}p[role=alert]{color:var(--error);background:var(--error-bg);padding:8px 10px;border-radius:8px}</style></head>
<body><main><h1>${title ? escapeHtml(title) : "Log in"}</h1>${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="login"><label for="username">Username</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button></form></main></body></html>`;
}
