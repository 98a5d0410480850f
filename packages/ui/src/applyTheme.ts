import { cssVariable, type Theme, type ThemeToken } from "@dais/core";
import { signal } from "@preact/signals";

export const dark = signal(false);
const storageKey = "dais-theme";

/**
 * Sets light or dark (from `?theme=`, the visitor's last choice, the app's mode, or the system
 * setting, in that order), the app's design tokens as CSS variables, and its extra CSS.
 */
export function applyTheme(theme: Theme, css: string): void {
  const asked = new URLSearchParams(location.search).get("theme") ?? localStorage.getItem(storageKey) ?? theme.mode ?? "system";
  const system = matchMedia("(prefers-color-scheme: dark)");
  const set = (isDark: boolean) => {
    dark.value = isDark;
    document.documentElement.dataset.theme = isDark ? "dark" : "light";
  };
  if (asked === "dark" || asked === "light") set(asked === "dark");
  else {
    set(system.matches);
    system.addEventListener("change", (e) => set(e.matches));
  }
  const vars = (tokens: Partial<Record<ThemeToken, string>> | undefined) =>
    Object.entries(tokens ?? {})
      .map(([k, v]) => `${cssVariable(k as ThemeToken)}:${String(v).replace(/[;{}<]/g, "")};`)
      .join("");
  const style = document.createElement("style");
  style.textContent = `:root{${vars(theme.tokens)}}:root[data-theme=dark]{${vars(theme.dark)}}\n${css}`;
  document.head.append(style);
}

/** The visitor's own choice, kept for their next visit. */
export function toggleTheme(): void {
  const next = !dark.value;
  localStorage.setItem(storageKey, next ? "dark" : "light");
  dark.value = next;
  document.documentElement.dataset.theme = next ? "dark" : "light";
}
