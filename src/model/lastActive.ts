// Zulip's words for when a member was last active (web/src/buddy_data.ts
// user_last_seen_time_status and web/src/timerender.ts last_seen_status_from_date), with the
// numbers and dates in the display language through Intl. Pure: the clock is an argument.
import * as l10n from '@vscode/l10n';
import type { Presence, PresenceState } from './presence';
import type { User } from '../zulip/types';

const SECONDS_PER_MINUTE = 60;
const MINUTES_PER_HOUR = 60;
const HOURS_PER_DAY = 24;
const MS_PER_DAY = 86_400_000;
/** Zulip counts days up to this many, then shows the date. */
const DAYS_SHOWN_AS_COUNT = 90;
const DAYS_PER_YEAR = 365;

export interface LastActiveInput {
  /** The member's presence now; undefined for bots, deactivated members and servers without presence. */
  state: PresenceState | undefined;
  /** Last active, UNIX seconds (server clock); undefined when the server knows of no activity. */
  lastActive?: number;
  /** Now, UNIX seconds (server clock). */
  now: number;
  /** BCP 47 language (VS Code's display language); English when omitted. */
  locale?: string;
  /** The time zone calendar days are counted in; the system's when omitted. */
  timeZone?: string;
}

// Intl formatters are costly to build (a third of a millisecond each): one per language and zone.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const relativeFormats = new Map<string, { auto: Intl.RelativeTimeFormat; always: Intl.RelativeTimeFormat }>();
const checkedLocales = new Map<string, string>();

function dayFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let format = dayFormats.get(key);
  if (!format) dayFormats.set(key, (format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' })));
  return format;
}

function relativeFormat(locale: string): { auto: Intl.RelativeTimeFormat; always: Intl.RelativeTimeFormat } {
  let formats = relativeFormats.get(locale);
  if (!formats) {
    formats = { auto: new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }), always: new Intl.RelativeTimeFormat(locale, { numeric: 'always' }) };
    relativeFormats.set(locale, formats);
  }
  return formats;
}

function calendarDay(seconds: number, timeZone: string | undefined): number {
  const parts = dayFormat(timeZone).formatToParts(new Date(seconds * 1000));
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day')) / MS_PER_DAY;
}

function yearOf(seconds: number, timeZone: string | undefined): number {
  const parts = dayFormat(timeZone).formatToParts(new Date(seconds * 1000));
  return Number(parts.find((p) => p.type === 'year')?.value);
}

function safeLocale(locale: string | undefined): string {
  if (!locale) return 'en';
  let checked = checkedLocales.get(locale);
  if (checked === undefined) {
    try {
      checked = Intl.RelativeTimeFormat.supportedLocalesOf([locale]).length ? locale : 'en';
    } catch {
      checked = 'en';
    }
    checkedLocales.set(locale, checked);
  }
  return checked;
}

/** "Active now", "Idle", "Active 5 minutes ago", … "Not active in the last year"; undefined when presence does not apply. */
export function lastActiveText(input: LastActiveInput): string | undefined {
  const { state, lastActive, now, timeZone } = input;
  if (state === undefined) return undefined;
  if (state === 'active') return l10n.t('Active now');
  if (state === 'idle') return l10n.t('Idle');
  if (lastActive === undefined) return l10n.t('Not active in the last year');
  const locale = safeLocale(input.locale);
  const { always } = relativeFormat(locale);
  // A report from a clock slightly ahead of ours counts as just now.
  const minutes = Math.max(0, Math.floor((now - lastActive) / SECONDS_PER_MINUTE));
  // {0} is Intl's phrase in the display language: "5 minutes ago", "vor 5 Minuten".
  if (minutes < MINUTES_PER_HOUR) return activeAgo(always.format(-minutes, 'minute'));
  const hours = Math.floor(minutes / MINUTES_PER_HOUR);
  if (hours < HOURS_PER_DAY) {
    if (hours === 1) return l10n.t('Active an hour ago');
    return activeAgo(always.format(-hours, 'hour'));
  }
  const daysOld = calendarDay(now, timeZone) - calendarDay(lastActive, timeZone);
  if (daysOld === 1) return l10n.t('Active yesterday');
  if (daysOld < DAYS_SHOWN_AS_COUNT) return activeAgo(always.format(-daysOld, 'day'));
  const sameYear = yearOf(now, timeZone) === yearOf(lastActive, timeZone);
  const date = new Intl.DateTimeFormat(locale, {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: daysOld > DAYS_SHOWN_AS_COUNT && daysOld < DAYS_PER_YEAR && sameYear ? undefined : 'numeric',
  }).format(new Date(lastActive * 1000));
  return l10n.t({ message: 'Active {0}', args: [date], comment: ['{0} is a date: "Aug 6", "Oct 10, 2022"'] });
}

function activeAgo(phrase: string): string {
  return l10n.t({ message: 'Active {0}', args: [phrase], comment: ['{0} is how long ago: "5 minutes ago", "2 days ago"'] });
}

/** lastActiveText for a member of an organization, from its presence now. */
export function lastActiveTextOf(presence: Presence, user: User, locale?: string): string | undefined {
  return lastActiveText({ state: presence.stateOf(user), lastActive: presence.lastActive(user), now: presence.nowSeconds(), locale });
}
