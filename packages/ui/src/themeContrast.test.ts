import { contrastRatio, minimumTextContrast, plainPageStyle, textOnBackground } from "@dais/core";
import { describe, expect, it } from "vitest";

// vitest hands a CSS import over empty, so the test reads the stylesheet from disk itself; the
// UI package has no Node types (the page never reads files), hence the shape given here.
const fs = (await import(String("node:fs"))) as { readFileSync(path: URL, encoding: "utf8"): string };
const styles = fs.readFileSync(new URL("./styles.css", import.meta.url), "utf8");

/** The custom properties the block of `css` opened by `opening` sets, by name. */
function variables(css: string, opening: string): Map<string, string> {
  const start = css.indexOf(opening);
  if (start < 0) throw new Error(`no ${opening} block`);
  const body = css.slice(start + opening.length, css.indexOf("}", start)).replace(/\/\*[\s\S]*?\*\//g, "");
  return new Map([...body.matchAll(/(--[\w-]+):\s*([^;}]+)/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

const light = variables(styles, ":root {");
// Dark mode overrides some tokens; the rest carry over from light.
const dark = new Map([...light, ...variables(styles, ':root[data-theme="dark"] {')]);
// The server's and CLI's plain pages: only the tokens they set, the same values as the page's.
const plainLight = variables(plainPageStyle, ":root{");
const plainDark = new Map([...plainLight, ...variables(plainPageStyle, "@media (prefers-color-scheme:dark){:root{")]);

describe("theme contrast (WCAG AA, 4.5:1 for text)", () => {
  for (const [mode, tokens] of [["light", light], ["dark", dark]] as const) {
    it(`every text/background pair the page draws reads in ${mode} mode`, () => {
      const low = textOnBackground
        .map(([fg, bg]) => ({ pair: `${fg} on ${bg}`, ratio: contrastRatio(tokens.get(fg) ?? "", tokens.get(bg) ?? "") }))
        .filter((p) => p.ratio === undefined || p.ratio < minimumTextContrast)
        .map((p) => `${p.pair}: ${p.ratio?.toFixed(2) ?? "not a hex colour"}`);
      expect(low).toEqual([]);
    });
  }

  it("the plain pages (login, Use via API, the gallery) use the page's very colours, light and dark", () => {
    for (const [plain, page] of [[plainLight, light], [plainDark, dark]] as const) {
      expect([...plain].filter(([name, value]) => page.get(name) !== value)).toEqual([]);
    }
    expect(plainLight.size).toBeGreaterThan(8);
  });

  it("knows every colour token: a new one must say what it is drawn on", () => {
    const paired = new Set(textOnBackground.flat());
    const colours = [...light].filter(([, value]) => value.startsWith("#")).map(([name]) => name);
    expect(colours.filter((name) => !paired.has(name))).toEqual(["--border"]);
  });
});
