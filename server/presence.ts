// Presence as Zulip keeps it (zerver/actions/presence.py, zerver/lib/presence.py): one row per
// user with the last time a client reported them active and the last time any client was
// connected, and a realm-wide update counter (last_update_id). The API's legacy and modern forms
// are both derived from those two times.

/** settings.OFFLINE_THRESHOLD_SECS: older timestamps mean offline. */
export const OFFLINE_THRESHOLD_SECONDS = 140;
/** settings.PRESENCE_PING_INTERVAL_SECS: how often clients report. */
export const PRESENCE_PING_INTERVAL_SECONDS = 60;
/** settings.PRESENCE_UPDATE_MIN_FREQ_SECONDS: reports closer together than this change nothing. */
export const PRESENCE_UPDATE_MIN_FREQ_SECONDS = 55;
/** settings.PRESENCE_LEGACY_EVENT_OFFSET_FOR_ACTIVITY_SECONDS. */
export const LEGACY_ACTIVITY_OFFSET_SECONDS = 70;
/** Without history_limit_days, Zulip returns two weeks of presence. */
export const DEFAULT_HISTORY_DAYS = 14;
export const SECONDS_PER_DAY = 86_400;
/** Turning presence off leaves the user "last seen" this long before, so clients show them offline. */
export const INVISIBLE_OFFSET_SECONDS = OFFLINE_THRESHOLD_SECONDS + 120;

export type PresenceStatus = 'active' | 'idle';

export interface PresenceRow {
  /** UNIX seconds; null when the user was only ever idle. */
  lastActive: number | null;
  /** UNIX seconds; always at least lastActive. */
  lastConnected: number;
  lastUpdateId: number;
}

export interface LegacyPresence {
  client: 'website';
  status: PresenceStatus;
  timestamp: number;
  pushable: false;
}

export interface ModernPresence {
  active_timestamp: number;
  idle_timestamp: number;
}

/** user_presence_datetime_with_date_joined_default: a missing time reads as the join date. */
export function activeTime(row: PresenceRow, dateJoined: number): number {
  return row.lastActive ?? dateJoined;
}

export function modernPresence(row: PresenceRow, dateJoined: number): ModernPresence {
  return { active_timestamp: activeTime(row, dateJoined), idle_timestamp: row.lastConnected };
}

/** format_legacy_presence_dict: "active" when the last activity is about as recent as the last connection. */
export function legacyPresence(row: PresenceRow, dateJoined: number): LegacyPresence {
  const active = activeTime(row, dateJoined);
  if (active + LEGACY_ACTIVITY_OFFSET_SECONDS >= row.lastConnected) {
    return { client: 'website', status: 'active', timestamp: active, pushable: false };
  }
  return { client: 'website', status: 'idle', timestamp: row.lastConnected, pushable: false };
}

/** get_legacy_user_presence_info: the one client plus "aggregated" (no pushable). */
export function legacyPresenceEntry(row: PresenceRow, dateJoined: number): Record<string, unknown> {
  const website = legacyPresence(row, dateJoined);
  return { aggregated: { client: website.client, status: website.status, timestamp: website.timestamp }, website };
}

export interface PresenceUpdate {
  row: PresenceRow;
  /** A new row, or one whose times changed: it takes the next last_update_id. */
  changed: boolean;
  /** Zulip sends a presence event only for a new row or a user coming back online. */
  notify: boolean;
}

/**
 * do_update_user_presence: applies one report at `at` (UNIX seconds) to the existing row (or
 * none). Reports within PRESENCE_UPDATE_MIN_FREQ_SECONDS of the previous ones change nothing.
 */
export function applyPresenceReport(existing: PresenceRow | undefined, status: PresenceStatus, at: number, nextUpdateId: number): PresenceUpdate {
  if (!existing) {
    return { row: { lastActive: status === 'active' ? at : null, lastConnected: at, lastUpdateId: nextUpdateId }, changed: true, notify: true };
  }
  const sinceActive = existing.lastActive === null ? SECONDS_PER_DAY : at - existing.lastActive;
  const sinceConnected = at - existing.lastConnected;
  const nowOnline = sinceActive > OFFLINE_THRESHOLD_SECONDS - PRESENCE_PING_INTERVAL_SECONDS - 10;
  const becameOnline = status === 'active' && nowOnline;
  const row = { ...existing };
  let changed = false;
  if (sinceConnected > PRESENCE_UPDATE_MIN_FREQ_SECONDS) {
    row.lastConnected = at;
    changed = true;
  }
  if (status === 'active' && sinceActive > PRESENCE_UPDATE_MIN_FREQ_SECONDS) {
    row.lastActive = at;
    if (at > row.lastConnected) row.lastConnected = at;
    changed = true;
  }
  if (changed) row.lastUpdateId = nextUpdateId;
  return { row: changed ? row : existing, changed, notify: changed && becameOnline };
}

/** What a client shows: Zulip's web app words (buddy_data.ts) are built from this. */
export type ShownPresence = 'active' | 'idle' | 'offline';

export function shownPresence(row: PresenceRow, dateJoined: number, now: number): ShownPresence {
  const { active_timestamp, idle_timestamp } = modernPresence(row, dateJoined);
  if (now - active_timestamp <= OFFLINE_THRESHOLD_SECONDS) return 'active';
  if (now - idle_timestamp <= OFFLINE_THRESHOLD_SECONDS) return 'idle';
  return 'offline';
}
