/**
 * Turns a reply that grows (each partial is the whole reply so far) into the pieces OpenAI
 * sends: only the new text each time, ended before the first `stop` sequence. Text that could be
 * the start of a stop sequence is held back until the reply shows it is not, so a stop split
 * across two partials never leaks. A reply that rewrites what was already sent cannot be taken
 * back in this format: its rewrite is not sent.
 */
export class ReplyDeltas {
  /** Whether a stop sequence ended the reply: the run can be stopped. */
  stopped = false;
  private sent = "";
  private readonly hold: number;

  constructor(private readonly stops: readonly string[] = []) {
    this.hold = stops.reduce((n, s) => Math.max(n, s.length - 1), 0);
  }

  /** The text sent so far: the whole reply once `final` has been given. */
  get text(): string {
    return this.sent;
  }

  /** The new text to send for this reply ("" for none); `final` releases what was held back. */
  next(reply: string, final = false): string {
    if (this.stopped || !reply.startsWith(this.sent)) return "";
    let text = reply;
    // Text already sent was checked (with `hold` characters after it), so the search starts there.
    const at = this.stops.reduce((first, s) => {
      const i = text.indexOf(s, this.sent.length);
      return i >= 0 && (first < 0 || i < first) ? i : first;
    }, -1);
    if (at >= 0) {
      text = text.slice(0, at);
      this.stopped = true;
    }
    const ready = final || this.stopped ? text : text.slice(0, Math.max(this.sent.length, text.length - this.hold));
    const delta = ready.slice(this.sent.length);
    this.sent = ready;
    return delta;
  }
}
