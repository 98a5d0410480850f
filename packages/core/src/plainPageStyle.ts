/**
 * The theme's colours for the plain HTML pages the server and CLI write themselves (the login
 * page, "Use via API", the gallery's index), light and dark as the visitor's system prefers,
 * so they look like the app and read at 4.5:1 or more (the same values as the UI's styles.css;
 * a unit test holds both to the contrast pairs of `textOnBackground`).
 * @example `<style>${plainPageStyle}body{background:var(--bg)}</style>`
 */
export const plainPageStyle =
  ":root{--bg:#f7f7f8;--surface:#fff;--text:#1f2328;--muted:#656d76;--border:#d0d7de;--accent:#c2410c;--accent-text:#fff;--code-bg:#f6f8fa;--error:#b42318;--error-bg:#fdecea;color-scheme:light dark}" +
  "@media (prefers-color-scheme:dark){:root{--bg:#0f1115;--surface:#181b21;--text:#e6e8eb;--muted:#9aa3ad;--border:#2e333b;--accent:#fb923c;--accent-text:#1c1007;--code-bg:#111317;--error:#ff8a80;--error-bg:#3b1715}}" +
  "a{color:var(--accent)}";
