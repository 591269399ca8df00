// Who is active, idle or offline in one organization, fed by the event queue: the initial state
// comes from POST /register (fetch_event_types "presence"), and `presence` events keep it live, so
// nothing is polled. Reading is a plain lookup. States are computed as Zulip's web app does
// (web/src/presence.ts status_from_raw) against the server's clock. Plain Node.
import type { Disposable } from '../common/emitter';
import { Emitter } from '../common/emitter';
import * as l10n from '@vscode/l10n';
import type { User } from '../zulip/types';
import { finiteNumber, isRecord } from '../common/untrusted';

export type PresenceState = 'active' | 'idle' | 'offline';

/** Presence older than this counts as offline (Zulip's server_presence_offline_threshold_seconds default). */
export const PRESENCE_OFFLINE_SECONDS = 140;

/** While watched, views hear a change this often so "Active N minutes ago" stays true as time passes. */
export const PRESENCE_TICK_MS = 60_000;

const MS_PER_SECOND = 1000;

/** The words for a presence: `short` in rows and badges ("Active"), `sentence` in cards ("Active now"). */
export function presenceLabel(state: PresenceState | undefined, form: 'short' | 'sentence' = 'short'): string | undefined {
  switch (state) {
    case 'active':
      return form === 'short' ? l10n.t('Active') : l10n.t('Active now');
    case 'idle':
      return l10n.t('Idle');
    case 'offline':
      return l10n.t('Offline');
    default:
      return undefined;
  }
}

/** A member's presence times in UNIX seconds: last active and last connected (idle). */
export interface PresenceTimes {
  active?: number;
  idle?: number;
}

/** Presence data read from either API form, keyed by user id (modern) or by API email (legacy). */
export interface ParsedPresences {
  byId: Map<number, PresenceTimes>;
  byEmail: Map<string, PresenceTimes>;
}

/**
 * One entry of a presences map in either form: modern `{active_timestamp, idle_timestamp}`, or
 * legacy per-client `{aggregated|website|…: {status, timestamp}}` (the newest active and idle
 * report count, as Zulip's update_info_from_event does). Undefined for an entry of neither shape.
 */
export function presenceTimesOf(entry: unknown): PresenceTimes | undefined {
  if (!isRecord(entry)) return undefined;
  if ('active_timestamp' in entry || 'idle_timestamp' in entry) {
    return { active: finiteNumber(entry.active_timestamp), idle: finiteNumber(entry.idle_timestamp) };
  }
  let found = false;
  const times: PresenceTimes = {};
  for (const report of Object.values(entry)) {
    if (!isRecord(report)) continue;
    const timestamp = finiteNumber(report.timestamp);
    if (timestamp === undefined) continue;
    found = true;
    if (report.status === 'active' && timestamp > (times.active ?? 0)) times.active = timestamp;
    if (report.status === 'idle' && timestamp > (times.idle ?? 0)) times.idle = timestamp;
  }
  return found ? times : undefined;
}

/** Reads a presences map of either form; entries of an unknown shape are skipped. */
export function parsePresences(presences: unknown): ParsedPresences {
  const parsed: ParsedPresences = { byId: new Map(), byEmail: new Map() };
  if (!isRecord(presences)) return parsed;
  for (const [key, entry] of Object.entries(presences)) {
    const times = presenceTimesOf(entry);
    if (!times) continue;
    if (/^\d+$/.test(key)) parsed.byId.set(Number(key), times);
    else parsed.byEmail.set(key.toLowerCase(), times);
  }
  return parsed;
}

/** Zulip's status_from_raw: active while the last active report is recent, then idle while connected, else offline. */
export function stateFromTimes(times: PresenceTimes | undefined, nowSeconds: number, thresholdSeconds = PRESENCE_OFFLINE_SECONDS): PresenceState {
  if (!times) return 'offline';
  if (times.active !== undefined && nowSeconds - times.active < thresholdSeconds) return 'active';
  if (times.idle !== undefined && nowSeconds - times.idle < thresholdSeconds) return 'idle';
  return 'offline';
}

/** Zulip's last_active: the later of the two times; undefined with neither (not active in the history window). */
export function lastActiveOf(times: PresenceTimes | undefined): number | undefined {
  if (!times || (times.active === undefined && times.idle === undefined)) return undefined;
  return Math.max(times.active ?? 0, times.idle ?? 0);
}

export interface PresenceOptions {
  /** The local clock in milliseconds (tests move it). */
  now?: () => number;
  tickMs?: number;
}

export class Presence implements Disposable {
  private data: ParsedPresences = { byId: new Map(), byEmail: new Map() };
  /** Members read one by one (applySingle), used only while the registration sent no presence. */
  private readonly single = new Map<number, PresenceTimes>();
  /** Whether the server sent presence at all; undefined before the first registration. */
  private supportedValue?: boolean;
  /** Server clock minus local clock, in seconds. */
  private clockOffset = 0;
  private threshold = PRESENCE_OFFLINE_SECONDS;
  private watchers = 0;
  private timer?: NodeJS.Timeout;
  private disposed = false;
  private readonly changed = new Emitter<void>();
  /** Presence changed, or (while watched) a minute passed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly options: PresenceOptions = {}) {}

  /** False when the server sent no presence at registration (an older or limited server). */
  get supported(): boolean | undefined {
    return this.supportedValue;
  }

  /** The server's clock now, in UNIX seconds. */
  nowSeconds(): number {
    return (this.options.now?.() ?? Date.now()) / MS_PER_SECOND + this.clockOffset;
  }

  /** Replaces everything with a registration's initial state (`presences`, `server_timestamp`). */
  reset(registration: { presences?: unknown; server_timestamp?: number; server_presence_offline_threshold_seconds?: number }): void {
    if (this.disposed) return;
    this.supportedValue = isRecord(registration.presences);
    this.data = parsePresences(registration.presences);
    this.threshold = finiteNumber(registration.server_presence_offline_threshold_seconds) ?? PRESENCE_OFFLINE_SECONDS;
    this.syncClock(registration.server_timestamp);
    this.changed.fire();
  }

  /**
   * Applies one `presence` event: the modern `presences` map (simplified_presence_events) replaces
   * those members' times; the legacy per-client `presence` of one member merges in.
   */
  applyEvent(event: Record<string, unknown>): void {
    if (this.disposed) return;
    this.syncClock(finiteNumber(event.server_timestamp));
    if (isRecord(event.presences)) {
      const parsed = parsePresences(event.presences);
      for (const [id, times] of parsed.byId) this.data.byId.set(id, times);
      for (const [email, times] of parsed.byEmail) this.data.byEmail.set(email, times);
    } else {
      const reported = presenceTimesOf(event.presence);
      if (!reported) return;
      const userId = finiteNumber(event.user_id);
      const email = typeof event.email === 'string' ? event.email.toLowerCase() : undefined;
      const merge = (old: PresenceTimes | undefined): PresenceTimes => ({
        active: Math.max(old?.active ?? 0, reported.active ?? 0) || undefined,
        idle: Math.max(old?.idle ?? 0, reported.idle ?? 0) || undefined,
      });
      if (userId !== undefined) this.data.byId.set(userId, merge(this.data.byId.get(userId)));
      else if (email) this.data.byEmail.set(email, merge(this.data.byEmail.get(email)));
      else return;
    }
    this.supportedValue = true;
    this.changed.fire();
  }

  /**
   * One member's presence read on its own (GET /users/{id}/presence), for a server that sent none
   * at registration: those members' words come from these reads, everyone else stays unknown.
   * Every shape is read (legacy per-client, FL 487's timestamps, FL 497's both); false when the
   * answer holds none of them.
   */
  applySingle(userId: number, answer: { presence?: unknown; server_timestamp?: number }): boolean {
    if (this.disposed) return false;
    const times = presenceTimesOf(answer.presence);
    if (!times) return false;
    this.syncClock(finiteNumber(answer.server_timestamp));
    this.single.set(userId, times);
    this.changed.fire();
    return true;
  }

  private syncClock(serverTimestamp: number | undefined): void {
    if (serverTimestamp === undefined) return;
    this.clockOffset = serverTimestamp - (this.options.now?.() ?? Date.now()) / MS_PER_SECOND;
  }

  private timesOf(user: User): PresenceTimes | undefined {
    return (
      this.data.byId.get(user.user_id) ??
      this.data.byEmail.get(user.email.toLowerCase()) ??
      (user.delivery_email ? this.data.byEmail.get(user.delivery_email.toLowerCase()) : undefined)
    );
  }

  /** The member's presence now; undefined before any data, without server support, and for bots and deactivated members. */
  stateOf(user: User): PresenceState | undefined {
    if (!user.is_active || user.is_bot) return undefined;
    if (!this.supportedValue) {
      const single = this.single.get(user.user_id);
      return single && stateFromTimes(single, this.nowSeconds(), this.threshold);
    }
    return stateFromTimes(this.timesOf(user), this.nowSeconds(), this.threshold);
  }

  /** When the member was last active (UNIX seconds, server clock); undefined when unknown. */
  lastActive(user: User): number | undefined {
    if (!this.supportedValue) return lastActiveOf(this.single.get(user.user_id));
    return lastActiveOf(this.timesOf(user));
  }

  /** While the returned disposable lives, onDidChange also fires each minute (relative times, and active turning offline). */
  watch(): Disposable {
    let watching = true;
    if (this.watchers++ === 0 && !this.disposed) {
      this.timer = setInterval(() => this.changed.fire(), this.options.tickMs ?? PRESENCE_TICK_MS);
      this.timer.unref?.();
    }
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

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    this.changed.dispose();
  }
}
