import { cssVariable, readableTextOn, type Theme, type ThemeToken } from "@dais/core";
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
  // `tokens` are for both modes, so dark mode gets them too (styles.css sets its own dark
  // defaults, which would otherwise win).
  const darkTokens = { ...theme.tokens, ...theme.dark };
  const style = document.createElement("style");
  style.textContent = `:root{${vars(withLabelColour(theme.tokens))}}:root[data-theme=dark]{${vars(withLabelColour(darkTokens))}}\n${css}`;
  document.head.append(style);
}

/**
 * An app that sets its accent but not the label colour on it gets white or near-black, whichever
 * reads (the default label suits only the default accent: white on a light teal is 1.9:1).
 */
function withLabelColour(tokens: Partial<Record<ThemeToken, string>> | undefined): Partial<Record<ThemeToken, string>> | undefined {
  if (!tokens?.accent || tokens.accentText) return tokens;
  const label = readableTextOn(tokens.accent);
  return label ? { ...tokens, accentText: label } : tokens;
}

/** The visitor's own choice, kept for their next visit. */
export function toggleTheme(): void {
  const next = !dark.value;
  localStorage.setItem(storageKey, next ? "dark" : "light");
  dark.value = next;
  document.documentElement.dataset.theme = next ? "dark" : "light";
}
