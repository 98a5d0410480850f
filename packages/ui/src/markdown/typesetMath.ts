import katex from "katex";

let styled = false;

/** KaTeX's HTML for one formula; a TeX error shows the source in red rather than throwing. */
export function typesetMath(tex: string, displayMode: boolean): string {
  if (!styled) {
    // KaTeX's stylesheet and fonts are served with the UI (no CDN), fetched with the first formula.
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL("katex/katex.min.css", document.baseURI).href;
    document.head.append(link);
    styled = true;
  }
  return katex.renderToString(tex, { displayMode, throwOnError: false, trust: false, strict: "ignore", output: "htmlAndMathml" });
}
