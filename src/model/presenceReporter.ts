// Reports the signed-in user as present (POST /users/me/presence) only when they chose to share
// it (zulip.presence.shareMine) and only while a window is focused: at once, then each interval.
// Plain Node; the caller says when the setting or the focus changes.
import type { Disposable } from '../common/emitter';
import { describeError } from '../zulip/errors';

/** Zulip's web app reports presence about once a minute while in use. */
export const PRESENCE_REPORT_INTERVAL_MS = 60_000;

export interface PresenceReporterOptions {
  intervalMs?: number;
  log?: (message: string) => void;
}

export class PresenceReporter implements Disposable {
  private enabled = false;
  private focused = false;
  private timer?: NodeJS.Timeout;
  private disposed = false;

  constructor(
    private readonly report: () => Promise<void>,
    private readonly options: PresenceReporterOptions = {},
  ) {}

  /** Whether reports are being sent now. */
  get reporting(): boolean {
    return this.timer !== undefined;
  }

  set(state: { enabled?: boolean; focused?: boolean }): void {
    if (state.enabled !== undefined) this.enabled = state.enabled;
    if (state.focused !== undefined) this.focused = state.focused;
    const should = this.enabled && this.focused && !this.disposed;
    if (should && !this.timer) {
      this.send();
      this.timer = setInterval(() => this.send(), this.options.intervalMs ?? PRESENCE_REPORT_INTERVAL_MS);
      this.timer.unref?.();
    } else if (!should && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private send(): void {
    this.report().catch((error) => this.options.log?.(`Presence report: ${describeError(error)}`));
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
