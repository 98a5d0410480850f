/**
 * Back-pressure for a stream carried through the tunnel, so a fast sender cannot fill the
 * memory of either end: the sending side pauses its source while too many of its bytes wait
 * to be written to the tunnel or while the far end asked it to (`pause` frame); the receiving
 * side asks for that pause while its reader (a visitor, the app) lags behind.
 */

/** What a source of bytes must offer: a Node Readable and a `ws` WebSocket both do. */
export interface Pausable {
  pause(): void;
  resume(): void;
}

/** Bytes of one stream waiting to be written to the tunnel before its source pauses. */
export const sendHighWater = 256 * 1024;
/** Bytes a receiver's reader may lag behind before it asks the sender to pause. */
export const receiveHighWater = 1024 * 1024;

/** The sending side of a stream. */
export class Outflow {
  private unsent = 0;
  private remotePaused = false;
  private paused = false;

  constructor(private readonly source: Pausable) {}

  /** Counts `bytes` as handed to the tunnel; call the result once they are written. */
  track(bytes: number): () => void {
    this.unsent += bytes;
    this.update();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.unsent -= bytes;
      this.update();
    };
  }

  /** The far end's `pause` / `resume`. */
  setRemotePaused(paused: boolean): void {
    this.remotePaused = paused;
    this.update();
  }

  private update(): void {
    const pause = this.remotePaused || this.unsent > sendHighWater;
    if (pause === this.paused) return;
    this.paused = pause;
    if (pause) this.source.pause();
    else this.source.resume();
  }
}

/**
 * The receiving side of a stream: tell it how far the reader lags (`backlog` bytes) after each
 * write and whenever that shrinks; it sends `pause` and `resume` as the lag crosses the high
 * water mark. `update` returns false once the lag passes `hardLimit`: the sender ignored the
 * pause, and the stream should be reset.
 */
export class Inflow {
  private paused = false;

  constructor(
    private readonly signal: (paused: boolean) => void,
    private readonly hardLimit = 16 * receiveHighWater,
  ) {}

  update(backlog: number): boolean {
    if (backlog > this.hardLimit) return false;
    const pause = this.paused ? backlog > receiveHighWater / 4 : backlog > receiveHighWater;
    if (pause !== this.paused) {
      this.paused = pause;
      this.signal(pause);
    }
    return true;
  }
}
