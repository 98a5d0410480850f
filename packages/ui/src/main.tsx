import type { AppConfig } from "@dais/core";
import { render } from "preact";
import { App } from "./App.tsx";
import { AppState } from "./AppState.ts";
import { applyTheme } from "./applyTheme.ts";
import { hasChat } from "./hasChat.ts";
import { loadRenderers } from "./rendererFor.ts";

// Every URL is relative to the page, so the app works under any path prefix or proxy.
async function boot(): Promise<void> {
  const root = document.getElementById("app");
  if (!root) return;
  const response = await fetch(new URL("config?format=dais", location.href));
  if (!response.ok) throw new Error(`Could not load the app's config (HTTP ${response.status}).`);
  const config = (await response.json()) as AppConfig;
  if (config.title) document.title = config.title;
  applyTheme(config.theme, config.css);
  // Only the renderers of the kinds this app uses are fetched (all at once, before drawing).
  await loadRenderers(config.components.map((c) => c.kind));
  const ws = new URL("ws", location.href);
  ws.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  const app = new AppState(config, ws.href, `dais-session:${location.pathname}`);
  root.textContent = "";
  root.classList.toggle("wide", hasChat(config.layout));
  render(<App app={app} />, root);
  app.client.connect();
}

boot().catch((e: unknown) => {
  const root = document.getElementById("app");
  if (root) root.textContent = e instanceof Error ? e.message : String(e);
});
