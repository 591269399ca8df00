// Who is active, idle or offline in one organization: one realm-wide GET /realm/presence at most
// once an interval, asked for only while something on screen watches (the Members view, a
// profile panel). Reading is a plain lookup and never starts a request. Plain Node.
import type { Disposable } from '../common/emitter';
import { Emitter } from '../common/emitter';
import type { ZulipClient } from '../zulip/client';
import { describeError } from '../zulip/errors';
import type { PresenceInfo, RealmPresence, User } from '../zulip/types';

export type PresenceState = 'active' | 'idle' | 'offline';

/** Presence older than this counts as offline (Zulip's own threshold is about 140 s). */
export const PRESENCE_OFFLINE_SECONDS = 140;

/** How often presence is asked for while watched, and the least time between two requests. */
export const PRESENCE_INTERVAL_MS = 60_000;

const LABELS: Record<PresenceState, { short: string; sentence: string }> = {
  active: { short: 'Active', sentence: 'Active now' },
  idle: { short: 'Idle', sentence: 'Idle' },
  offline: { short: 'Offline', sentence: 'Offline' },
};

/** The words for a presence: `short` in rows and badges ("Active"), `sentence` in cards ("Active now"). */
export function presenceLabel(state: PresenceState | undefined, form: 'short' | 'sentence' = 'short'): string | undefined {
  return state ? LABELS[state][form] : undefined;
}

/** A member's presence in a realm presence answer; undefined for bots and deactivated members. */
export function presenceIn(data: RealmPresence, user: User): PresenceState | undefined {
  if (!user.is_active || user.is_bot) return undefined;
  const entry = data.presences[user.email] ?? (user.delivery_email ? data.presences[user.delivery_email] : undefined);
  const info: PresenceInfo | undefined = entry?.aggregated ?? newestClientPresence(entry);
  if (!info) return 'offline';
  if (data.server_timestamp - info.timestamp > PRESENCE_OFFLINE_SECONDS) return 'offline';
  return info.status === 'active' ? 'active' : 'idle';
}

export interface PresenceOptions {
  intervalMs?: number;
  /** Whether asking makes sense now (the organization is loaded and reachable). */
  canFetch?: () => boolean;
  log?: (message: string) => void;
}

export class Presence implements Disposable {
  private data?: RealmPresence;
  private fetchedAt = 0;
  private request?: Promise<void>;
  private watchers = 0;
  private timer?: NodeJS.Timeout;
  private disposed = false;
  private readonly changed = new Emitter<void>();
  /** New presence data arrived. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly client: Pick<ZulipClient, 'getRealmPresence'>,
    private readonly options: PresenceOptions = {},
  ) {}

  private get intervalMs(): number {
    return this.options.intervalMs ?? PRESENCE_INTERVAL_MS;
  }

  /** The member's presence from the last answer; undefined before any, and for bots and deactivated members. */
  stateOf(user: User): PresenceState | undefined {
    return this.data ? presenceIn(this.data, user) : undefined;
  }

  /** Keeps presence current while the returned disposable lives (asked now, then each interval). */
  watch(): Disposable {
    let watching = true;
    if (this.watchers++ === 0 && !this.disposed) {
      this.timer = setInterval(() => void this.refreshIfStale(), this.intervalMs);
      this.timer.unref?.();
    }
    void this.refreshIfStale();
    return {
      dispose: () => {
        if (!watching) return;
        watching = false;
        if (--this.watchers === 0) {
          clearInterval(this.timer);
          this.timer = undefined;
        }
      },
    };
  }

  /** Asks the server unless it was asked within the interval (or a request is under way). */
  refreshIfStale(): Promise<void> {
    if (this.request) return this.request;
    if (this.disposed || Date.now() - this.fetchedAt < this.intervalMs) return Promise.resolve();
    if (this.options.canFetch && !this.options.canFetch()) return Promise.resolve();
    // Set before the request so a failure also waits out the interval.
    this.fetchedAt = Date.now();
    this.request = this.client
      .getRealmPresence()
      .then((data) => {
        if (this.disposed) return;
        this.data = data;
        this.fetchedAt = Date.now();
        this.changed.fire();
      })
      .catch((error) => this.options.log?.(`Presence: ${describeError(error)}`))
      .finally(() => (this.request = undefined));
    return this.request;
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    this.changed.dispose();
  }
}

function newestClientPresence(entry: Record<string, PresenceInfo | undefined> | undefined): PresenceInfo | undefined {
  if (!entry) return undefined;
  let newest: PresenceInfo | undefined;
  for (const info of Object.values(entry)) {
    if (info && typeof info.timestamp === 'number' && (!newest || info.timestamp > newest.timestamp)) newest = info;
  }
  return newest;
}
