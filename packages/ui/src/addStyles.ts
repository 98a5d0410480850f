const added = new Set<string>();

/**
 * Adds a lazily loaded renderer's stylesheet (imported as text: `import css from "./x.css"`),
 * once, so pages without that kind never download its styles. It goes right after the base
 * stylesheet, so an app's theme and custom `css` still come later and win.
 */
export function addStyles(css: string): void {
  if (added.has(css)) return;
  added.add(css);
  const style = document.createElement("style");
  style.textContent = css;
  const base = document.querySelector('link[rel="stylesheet"]');
  if (base) base.after(style);
  else document.head.prepend(style);
}
