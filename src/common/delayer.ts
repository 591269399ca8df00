// Runs a task a little later, once for a burst of calls: the one timer behind every batch and
// debounce in the extension (tree refreshes, avatar arrivals, typing in a filter, cache saves).
// No vscode import.

export interface DelayerOptions {
  /**
   * false (the default): a call while the task is pending joins it, so the task runs `delayMs`
   * after the first call of a burst (a batch). true: each call starts the wait over, so the task
   * runs `delayMs` after the last call (a debounce, for typing).
   */
  restartOnCall?: boolean;
  /** Lets Node exit while the task is pending (work that only matters if the process stays). */
  unref?: boolean;
}

export class Delayer {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly task: () => void,
    private readonly delayMs: number,
    private readonly options: DelayerOptions = {},
  ) {}

  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** Asks for the task to run; `delayMs` for this call only (0: as soon as possible, even if a longer wait is pending). */
  schedule(delayMs = this.delayMs): void {
    if (this.timer) {
      if (!this.options.restartOnCall && delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.task();
    }, delayMs);
    if (this.options.unref) this.timer.unref();
  }

  /** Runs the task now if it was pending. */
  flush(): void {
    if (!this.timer) return;
    this.cancel();
    this.task();
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.cancel();
  }
}
