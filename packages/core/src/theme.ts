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
