import { setSafeHtml } from "../setSafeHtml.ts";
import { enhance } from "./enhance.ts";
import { type BlocksUpdate, MarkdownBlocks } from "./MarkdownBlocks.ts";

/**
 * An element showing Markdown text that may stream. Final blocks are sanitised, enhanced and
 * inserted once, and their nodes are never touched again; an update replaces only the nodes of
 * the open (last) block. Every block goes through the sanitizer (setSafeHtml) on its own.
 */
export class MarkdownView {
  private readonly blocks = new MarkdownBlocks();
  /** The open block's nodes, replaced by the next update. */
  private live: ChildNode[] = [];
  /** Text waiting to be shown while an update is still being sanitised (DOMPurify loads lazily). */
  private wanted: string | undefined;
  private busy = false;

  constructor(readonly root: HTMLElement) {}

  show(text: string): void {
    this.wanted = text;
    if (!this.busy) this.flush();
  }

  private flush(): void {
    while (this.wanted !== undefined) {
      const update = this.blocks.update(this.wanted);
      this.wanted = undefined;
      const completed = sanitized(update.completed);
      const live = sanitized(update.live);
      if (Array.isArray(completed) && Array.isArray(live)) {
        this.insert(update, completed, live);
        continue;
      }
      // Updates apply in order; texts arriving meanwhile collapse into the newest.
      this.busy = true;
      const next = () => {
        this.busy = false;
        this.flush();
      };
      void Promise.all([completed, live]).then(([c, l]) => this.insert(update, c, l)).then(next, next);
      return;
    }
  }

  private insert(update: BlocksUpdate, completed: ChildNode[], live: ChildNode[]): void {
    if (update.reset) this.root.replaceChildren();
    else for (const node of this.live) node.remove();
    this.root.append(...completed, ...live);
    this.live = live;
  }
}

/** The nodes for some block HTML: sanitised, then enhanced (links, copy buttons, code, maths). */
function sanitized(html: string): ChildNode[] | Promise<ChildNode[]> {
  if (html === "") return [];
  const scratch = document.createElement("div");
  const nodes = () => {
    enhance(scratch);
    return [...scratch.childNodes];
  };
  const done = setSafeHtml(scratch, html);
  return done ? done.then(nodes) : nodes();
}
