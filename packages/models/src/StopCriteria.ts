import { StoppingCriteria } from "@huggingface/transformers";

/**
 * Stops generate() when the AbortSignal fires or the reader walks away. transformers.js checks
 * stopping criteria after every token, so generation ends within one token of the abort: the
 * forward pass under way finishes (onnxruntime cannot be interrupted mid-run), no further one
 * starts.
 * @example model.generate({ ...inputs, stopping_criteria: [new StopCriteria(ctx.signal)] })
 */
export class StopCriteria extends StoppingCriteria {
  private interrupted = false;

  constructor(private readonly signal?: AbortSignal) {
    super();
  }

  get stopped(): boolean {
    return this.interrupted || this.signal?.aborted === true;
  }

  interrupt(): void {
    this.interrupted = true;
  }

  override _call(inputIds: number[][]): boolean[] {
    const stop = this.stopped;
    return inputIds.map(() => stop);
  }
}
