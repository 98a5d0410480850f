/**
 * Inserts HTML through a sanitizer: the browser's own (Element.setHTML, the HTML Sanitizer
 * API) where it exists, else DOMPurify, loaded only then. Both drop scripts, event handlers,
 * `javascript:` URLs and active elements whatever the allowlist says.
 */
const elements = [
  "p", "br", "hr", "strong", "em", "b", "i", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a", "img",
  "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "span", "div", "input", "sup", "sub",
];
const attributes = ["href", "title", "src", "alt", "class", "type", "checked", "disabled", "align", "start", "loading"];
// The html component's HTML is an app's own layout, so it may use more of HTML (and inline
// styles; its box clips them, see html.css) — but nothing active, whatever the profile.
const htmlElements = [...elements, "section", "article", "header", "footer", "figure", "figcaption", "details", "summary", "small", "mark", "kbd", "abbr", "u", "dl", "dt", "dd", "caption", "colgroup", "col", "picture", "source"];
const htmlAttributes = [...attributes, "style", "width", "height", "colspan", "rowspan", "lang", "dir", "role", "aria-label", "aria-hidden", "open", "srcset", "sizes", "media"];
const profiles = { markdown: [elements, attributes], html: [htmlElements, htmlAttributes] } as const;
/** Which allowlist: chat and Markdown text, or the html component's. */
export type SafeHtmlProfile = keyof typeof profiles;

interface SanitizerLike {
  allowElement(name: string): void;
  allowAttribute(name: string): void;
}
type SafeSetter = (el: Element, html: string) => void | Promise<void>;

const setters: Partial<Record<SafeHtmlProfile, SafeSetter>> = {};

function native(profile: SafeHtmlProfile): SafeSetter | undefined {
  const S = (globalThis as { Sanitizer?: new () => SanitizerLike }).Sanitizer;
  if (typeof S !== "function" || typeof (Element.prototype as { setHTML?: unknown }).setHTML !== "function") return undefined;
  const sanitizer = new S();
  for (const e of profiles[profile][0]) sanitizer.allowElement(e);
  for (const a of profiles[profile][1]) sanitizer.allowAttribute(a);
  return (el, html) => (el as Element & { setHTML(h: string, o: object): void }).setHTML(html, { sanitizer });
}

function purify(profile: SafeHtmlProfile): SafeSetter {
  return async (el, html) => {
    const { default: DOMPurify } = await import("dompurify");
    el.innerHTML = DOMPurify.sanitize(html, { ALLOWED_TAGS: [...profiles[profile][0]], ALLOWED_ATTR: [...profiles[profile][1]] });
  };
}

/** Replaces `el`'s content with sanitised `html`. Resolves at once where the browser sanitises. */
export function setSafeHtml(el: Element, html: string, profile: SafeHtmlProfile = "markdown"): void | Promise<void> {
  const setter = (setters[profile] ??= native(profile) ?? purify(profile));
  return setter(el, html);
}
