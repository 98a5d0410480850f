import type { Token } from "marked";
import { lexMarkdown, renderMarkdown, renderTokens } from "./renderMarkdown.ts";

/** What to change in the page for a new version of the text. */
export interface BlocksUpdate {
  /** Drop every block shown so far (the text was replaced, not extended). */
  reset: boolean;
  /** HTML of blocks this update completed: shown once, then never re-rendered. */
  completed: string;
  /** HTML of the block still being written ("" when there is none): replaces the last one shown. */
  live: string;
}

// A display-maths opener at the start of a line. The mathBlock rule matches lazily up to ANY
// later closer, even across blank lines and other blocks, so a block holding an opener is never
// final: a closer streamed in later turns it and everything after it into one formula.
const mathOpener = /^ {0,3}(?:\$\$|\\\[)/m;

/**
 * Markdown split into blocks as it streams: the blocks before the last one are final and
 * rendered once; only the last (open) block is lexed and rendered again when text is appended.
 * That makes each update cost the size of the last block, not of the whole message, while the
 * HTML of all blocks shown, concatenated, is always exactly `renderMarkdown(text)`.
 *
 * A block is final once another block follows it, because Markdown blocks do not reach back,
 * except: display maths (see mathOpener) and link reference definitions (`[a]: /url`, which
 * change links anywhere). A message with a definition is rendered whole on every update.
 */
export class MarkdownBlocks {
  /** The text rendered so far, line endings normalised as the lexer does. */
  private text = "";
  /** Where the open block starts in `text`; everything before it is final. */
  private settled = 0;
  /** Rendered whole on every update (the text has a link reference definition). */
  private whole = false;

  update(next: string): BlocksUpdate {
    next = next.replace(/\r\n?/g, "\n");
    // Appended text (or an edit inside the open block) keeps the final blocks.
    const keep = this.text !== "" && next.length >= this.settled && next.startsWith(this.text.slice(0, this.settled)) && !(this.whole && !next.startsWith(this.text));
    if (!keep) {
      this.settled = 0;
      this.whole = false;
    }
    this.text = next;
    if (this.whole) return { reset: true, completed: "", live: renderMarkdown(next) };
    const tail = next.slice(this.settled);
    const tokens = lexMarkdown(tail);
    if (Object.keys(tokens.links).length > 0) {
      this.whole = true;
      this.settled = 0;
      return { reset: true, completed: "", live: renderMarkdown(next) };
    }
    let last = tokens.length - 1;
    while (last >= 0 && tokens[last]!.type === "space") last--;
    // A block is kept only where its source is exactly where the next lex will start from.
    let final = 0;
    let offset = 0;
    while (final < last && !reachable(tokens[final]!) && tail.startsWith(tokens[final]!.raw, offset)) offset += tokens[final++]!.raw.length;
    const done = tokens.slice(0, final);
    this.settled += offset;
    return { reset: !keep, completed: done.length > 0 ? renderTokens(done) : "", live: renderTokens(tokens.slice(final)) };
  }
}

/** Whether text appended later could change this block's rendering (see mathOpener). */
function reachable(token: Token): boolean {
  return token.type !== "mathBlock" && token.type !== "code" && mathOpener.test(token.raw);
}
