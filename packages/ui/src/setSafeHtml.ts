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

interface SanitizerLike {
  allowElement(name: string): void;
  allowAttribute(name: string): void;
}
type SafeSetter = (el: Element, html: string) => void | Promise<void>;

let setter: SafeSetter | undefined;

function native(): SafeSetter | undefined {
  const S = (globalThis as { Sanitizer?: new () => SanitizerLike }).Sanitizer;
  if (typeof S !== "function" || typeof (Element.prototype as { setHTML?: unknown }).setHTML !== "function") return undefined;
  const sanitizer = new S();
  for (const e of elements) sanitizer.allowElement(e);
  for (const a of attributes) sanitizer.allowAttribute(a);
  return (el, html) => (el as Element & { setHTML(h: string, o: object): void }).setHTML(html, { sanitizer });
}

async function purify(el: Element, html: string): Promise<void> {
  const { default: DOMPurify } = await import("dompurify");
  el.innerHTML = DOMPurify.sanitize(html, { ALLOWED_TAGS: elements, ALLOWED_ATTR: attributes });
}

/** Replaces `el`'s content with sanitised `html`. Resolves at once where the browser sanitises. */
export function setSafeHtml(el: Element, html: string): void | Promise<void> {
  setter ??= native() ?? purify;
  return setter(el, html);
}
