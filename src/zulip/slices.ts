// Long work split into slices, so the extension host (one thread shared by every extension of the
// window) keeps answering while 100,000 members load: the work checks the clock as it goes and,
// once a slice has used its budget, lets the event loop run (setImmediate) before going on.
// Plain Node: used by the client and the model.
import { ZulipError } from './errors';

/** How long one slice may run. A frame is 16 ms; this leaves room for whatever runs next. */
export const SLICE_BUDGET_MS = 8;

export class Slicer {
  private sliceStart = performance.now();
  /** How many times the work let the event loop run (tests and benchmarks read it). */
  yields = 0;

  constructor(
    /** Stops the work at its next check: sign-out, a newer load, the window closing. */
    readonly signal?: AbortSignal,
    private readonly budgetMs = SLICE_BUDGET_MS,
  ) {}

  /** The current slice has used its budget. Cheap enough to ask every few hundred items. */
  get due(): boolean {
    return performance.now() - this.sliceStart >= this.budgetMs;
  }

  /** Throws a `cancelled` ZulipError when the signal has fired. */
  check(): void {
    if (this.signal?.aborted) throw new ZulipError('The load was cancelled.', { kind: 'cancelled' });
  }

  /** Lets the event loop run once, then starts a new slice. */
  async yield(): Promise<void> {
    this.check();
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.yields++;
    this.check();
    this.sliceStart = performance.now();
  }

  /** Yields only when the slice is over its budget. */
  async pause(): Promise<void> {
    if (this.due) await this.yield();
  }
}
