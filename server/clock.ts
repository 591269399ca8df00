// The server's notion of "now": real time plus an offset tests can move (POST /__control/clock),
// so that presence can age (active, then idle, then offline) without waiting.

export class Clock {
  private offsetMs = 0;

  /** Milliseconds since 1970, as Date.now() would be after the adjustments. */
  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** UNIX seconds with a fraction, like Python's time.time() (server_timestamp). */
  seconds(): number {
    return this.nowMs() / 1000;
  }

  /** Whole UNIX seconds, like Zulip's datetime_to_timestamp. */
  unix(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(seconds: number): void {
    if (!Number.isFinite(seconds)) throw new RangeError('seconds must be a finite number');
    this.offsetMs += seconds * 1000;
  }

  /** Jumps to a given UNIX time (seconds). */
  set(unixSeconds: number): void {
    if (!Number.isFinite(unixSeconds)) throw new RangeError('time must be a finite number');
    this.offsetMs = unixSeconds * 1000 - Date.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }

  /** How far the clock is ahead of real time, in seconds. */
  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }
}
