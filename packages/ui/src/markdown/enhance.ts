import { setSafeHtml } from "../setSafeHtml.ts";

const highlighted = new Map<string, string>();
const typeset = new Map<string, string>();

// A streaming code block or formula is rendered again at every update, each time a little
// longer: the caches keep the recent results only, or they would grow with the square of its length.
const cacheSize = 200;

function remember(cache: Map<string, string>, key: string, value: string): void {
  if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
}

/**
 * What rendered Markdown gets after it is in the page: links open in a new tab, code blocks
 * get a copy button and highlighting, maths gets typeset. Highlighting and KaTeX are loaded
 * only when a message first needs them, and their results are cached, so a streaming block
 * re-rendered on every update costs little.
 */
export function enhance(root: HTMLElement): void {
  openLinksInNewTab(root);
  for (const pre of root.querySelectorAll("pre")) addCopyButton(pre);
  const code = [...root.querySelectorAll<HTMLElement>("pre > code[class*='language-']")];
  if (code.length > 0) void highlight(code);
  const maths = [...root.querySelectorAll<HTMLElement>(".math-inline, .math-display")];
  if (maths.length > 0) void renderMath(maths);
}

/** Links in shown text open in a new tab, without handing the page to the site they open. */
export function openLinksInNewTab(root: Element): void {
  for (const a of root.querySelectorAll("a[href]")) {
    a.setAttribute("target", "_blank");
    a.setAttribute("rel", "noopener noreferrer");
  }
}

function addCopyButton(pre: HTMLPreElement): void {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "copy-code";
  button.textContent = "Copy";
  button.setAttribute("aria-label", "Copy code");
  button.addEventListener("click", () => {
    const text = pre.querySelector("code")?.textContent ?? "";
    void copyText(text).then(() => {
      button.textContent = "Copied";
      setTimeout(() => (button.textContent = "Copy"), 1500);
    });
  });
  pre.prepend(button);
}

/** The Clipboard API needs a secure context; a tester on a LAN address has none. */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const area = document.createElement("textarea");
  area.value = text;
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  document.execCommand("copy");
  area.remove();
}

async function highlight(blocks: HTMLElement[]): Promise<void> {
  const { highlightCode } = await import("./highlightCode.ts");
  for (const block of blocks) {
    if (!block.isConnected) continue;
    const language = /language-([\w+#-]+)/.exec(block.className)?.[1] ?? "";
    const source = block.textContent ?? "";
    const key = `${language}\u0000${source}`;
    let html = highlighted.get(key);
    if (html === undefined) {
      html = highlightCode(source, language);
      remember(highlighted, key, html);
    }
    if (html) {
      await setSafeHtml(block, html);
      block.classList.add("hljs");
    }
  }
}

async function renderMath(nodes: HTMLElement[]): Promise<void> {
  const { typesetMath } = await import("./typesetMath.ts");
  for (const node of nodes) {
    if (!node.isConnected) continue;
    const displayMode = node.classList.contains("math-display");
    const tex = node.textContent ?? "";
    const key = `${displayMode ? "D" : "I"}${tex}`;
    let html = typeset.get(key);
    if (html === undefined) {
      html = typesetMath(tex, displayMode);
      remember(typeset, key, html);
    }
    // KaTeX built this from TeX with `trust: false` (no \href, \url or HTML extensions).
    node.innerHTML = html;
    node.classList.add("math-done");
  }
}
