/**
 * WCAG 2 contrast between two colours given as `#rgb` or `#rrggbb`: 1 (the same) to 21 (black
 * on white). Text needs 4.5 (AA). `undefined` for a colour it cannot read (a name, `rgb()`,
 * `var()`): a theme may use any CSS colour, and only what can be judged is judged.
 * @example contrastRatio("#ffffff", "#c2410c") // 5.18…
 */
export function contrastRatio(a: string, b: string): number | undefined {
  const la = luminance(a);
  const lb = luminance(b);
  if (la === undefined || lb === undefined) return undefined;
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The least contrast WCAG AA asks of body text and of a button's label. */
export const minimumTextContrast = 4.5;

/**
 * White or near-black, whichever reads better on `background` (for a button's label on an app's
 * accent colour); `undefined` when the colour cannot be read.
 * @example readableTextOn("#2dd4bf") // "#111111"
 */
export function readableTextOn(background: string): "#ffffff" | "#111111" | undefined {
  const onWhite = contrastRatio("#ffffff", background);
  const onDark = contrastRatio("#111111", background);
  if (onWhite === undefined || onDark === undefined) return undefined;
  return onWhite >= onDark ? "#ffffff" : "#111111";
}

/** Relative luminance (WCAG 2), from the sRGB channels. */
function luminance(color: string): number | undefined {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (!hex) return undefined;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
