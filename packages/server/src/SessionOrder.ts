/**
 * Runs of one session that read or write its state start one after another, in the order they
 * arrived: each starts once the one before it has ended (and so committed its state). Without
 * this, pipelined turns (two tabs of one session, an API client, a fast double submit) each
 * start from the same state and the last to finish overwrites the others.
 */
export class SessionOrder {
  /** Per session, a promise that settles when its last ordered run has ended. */
  private readonly tails = new Map<object, Promise<void>>();

  /**
   * Calls `start` once every earlier run of `session` has ended: at once when none is pending,
   * so a lone turn is not delayed. `ended` resolves when this run has ended.
   */
  after(session: object, ended: Promise<void>, start: () => void): void {
    const previous = this.tails.get(session);
    // A run stopped while it waits ends early; the next still waits for the one before it.
    const tail = Promise.all([previous, ended]).then(() => {
      if (this.tails.get(session) === tail) this.tails.delete(session);
    });
    this.tails.set(session, tail);
    if (previous) void previous.then(start);
    else start();
  }

  /** Sessions with runs pending, for tests. */
  get size(): number {
    return this.tails.size;
  }
}
