/** Light, dark, or whatever the visitor's system prefers. `?theme=dark` in the URL overrides it. */
export type ThemeMode = "system" | "light" | "dark";

/**
 * Design tokens an app may override; each becomes a CSS variable (`accent` -> `--accent`).
 * Values are CSS values.
 */
export const themeTokens = ["accent", "accentText", "bg", "surface", "text", "muted", "border", "userBubble", "botBubble", "radius", "font"] as const;
export type ThemeToken = (typeof themeTokens)[number];

export interface Theme {
  mode?: ThemeMode;
  /** Tokens for both modes. */
  tokens?: Partial<Record<ThemeToken, string>>;
  /** Tokens that apply in dark mode only, over `tokens`. */
  dark?: Partial<Record<ThemeToken, string>>;
}

/** `userBubble` -> `--user-bubble`. */
export function cssVariable(token: ThemeToken): string {
  return `--${token.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * The colours the page draws on top of one another, as CSS variable names: `[text, background]`.
 * Each pair must reach 4.5:1 in light and dark (a unit test checks the defaults in the UI's
 * styles.css), so a new token or a change of colour that makes text hard to read fails there.
 */
export const textOnBackground: readonly (readonly [foreground: string, background: string])[] = [
  ...(["--bg", "--surface", "--user-bubble", "--bot-bubble", "--code-bg"] as const).flatMap((bg) => [
    ["--text", bg] as const,
    ["--muted", bg] as const,
    // Links, a pressed feedback button, the selected tab's underline sit on these too.
    ["--accent", bg] as const,
  ]),
  ["--accent-text", "--accent"], // a primary button (Submit)
  ["--bg", "--text"], // Stop
  ["--error", "--error-bg"],
  ...(["--hl-keyword", "--hl-string", "--hl-comment", "--hl-number", "--hl-title"] as const).map((fg) => [fg, "--code-bg"] as const),
];
