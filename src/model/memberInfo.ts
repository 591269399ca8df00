// Small pure facts about a member, shared by every view: avatar URL, role, real email, local
// time, mention text and web-app links. No vscode import; tested directly.
import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import { BotType, ProfileFieldType, Role, type CustomProfileField, type User } from '../zulip/types';

export type AvatarSize = 'small' | 'medium';

/**
 * The member's avatar: the server's URL resolved against the site, or, when the server left it
 * null (client_gravatar), the Gravatar computed from the real email as Zulip's clients do.
 */
export function avatarUrl(user: User, site: string, size: AvatarSize = 'small'): string {
  if (user.avatar_url) {
    const url = new URL(user.avatar_url, site + '/');
    if (size === 'medium' && url.origin === new URL(site).origin && /\/user_avatars\//.test(url.pathname) && !/-medium\.png$/.test(url.pathname)) {
      // Uploaded avatars have a medium variant beside them.
      url.pathname = url.pathname.replace(/\.png$/, '-medium.png');
    }
    return url.href;
  }
  const email = (user.delivery_email ?? user.email).trim().toLowerCase();
  const hash = createHash('md5').update(email).digest('hex');
  return `https://secure.gravatar.com/avatar/${hash}?d=identicon&version=${user.avatar_version}${size === 'medium' ? '&s=500' : ''}`;
}

export function roleLabel(user: User): string {
  if (user.is_bot) return l10n.t('Bot');
  switch (user.role) {
    case Role.Owner:
      return l10n.t('Owner');
    case Role.Administrator:
      return l10n.t('Administrator');
    case Role.Moderator:
      return l10n.t('Moderator');
    case Role.Guest:
      return l10n.t('Guest');
    default:
      return l10n.t('Member');
  }
}

export function botTypeLabel(user: User): string | undefined {
  switch (user.bot_type) {
    case BotType.Generic:
      return l10n.t('Generic bot');
    case BotType.IncomingWebhook:
      return l10n.t('Incoming webhook');
    case BotType.OutgoingWebhook:
      return l10n.t('Outgoing webhook');
    case BotType.Embedded:
      return l10n.t('Embedded bot');
    default:
      return user.is_bot ? l10n.t('Bot') : undefined;
  }
}

/** The role as a stable word for CSS classes ("owner", "bot"): never translated. */
export function roleKey(user: User): string {
  if (user.is_bot) return 'bot';
  switch (user.role) {
    case Role.Owner:
      return 'owner';
    case Role.Administrator:
      return 'administrator';
    case Role.Moderator:
      return 'moderator';
    case Role.Guest:
      return 'guest';
    default:
      return 'member';
  }
}

/** A user{id}@host placeholder is an API handle, never someone's address. */
export function isPlaceholderEmail(email: string, userId: number): boolean {
  return new RegExp(`^user${userId}@`, 'i').test(email);
}

/** The member's real address when we may see it, else undefined. */
export function realEmail(user: User): string | undefined {
  if (user.delivery_email) return user.delivery_email;
  if (user.email && !isPlaceholderEmail(user.email, user.user_id)) return user.email;
  return undefined;
}

/** `@**Name|id**`, the unambiguous mention; `silent` gives `@_**Name|id**`. */
export function mentionText(user: User, silent = false): string {
  return `@${silent ? '_' : ''}**${user.full_name}|${user.user_id}**`;
}

export function profileUrl(site: string, userId: number): string {
  return `${site}/#user/${userId}`;
}

/** Zulip's DM narrow: `#narrow/dm/{id}-{slug}`, slug = name with unsafe runs replaced by '-'. */
export function directMessageUrl(site: string, user: User): string {
  const slug = user.full_name.replace(/[\s"%/<>`\p{Cc}]+/gu, '-');
  return `${site}/#narrow/dm/${user.user_id}-${slug}`;
}

export type LocalTime = { ok: true; text: string; zone: string } | { ok: false; reason: string };

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The member's local time, or why it cannot be shown (no zone, or one this runtime doesn't know). */
export function localTime(timezone: string, now: Date = new Date(), locale?: string): LocalTime {
  const zone = timezone.trim();
  if (!zone) return { ok: false, reason: l10n.t('No time zone set') };
  const key = `${locale ?? ''}|${zone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: 'numeric', minute: '2-digit', weekday: 'short' });
    } catch {
      return { ok: false, reason: l10n.t('Unknown time zone "{0}"', zone) };
    }
    formatters.set(key, formatter);
  }
  return { ok: true, text: formatter.format(now), zone };
}

/** A date for people, from an ISO timestamp or YYYY-MM-DD; the input itself if unparseable. */
export function formatDate(value: string, locale?: string): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: dateOnly ? 'UTC' : undefined }).format(date);
}

/** The organization's pronouns fields (most have one at most). */
export function pronounFieldIds(fields: readonly CustomProfileField[]): number[] {
  return fields.filter((f) => f.type === ProfileFieldType.Pronouns).map((f) => f.id);
}

/** The member's pronouns from one of the given pronouns fields (see pronounFieldIds), if any. */
export function pronounsOf(user: User, pronounFieldIds: readonly number[]): string | undefined {
  for (const id of pronounFieldIds) {
    const value = user.profile_data?.[String(id)]?.value?.trim();
    if (value) return value;
  }
  return undefined;
}

/** Deleted accounts (FL 490) show as deleted and offer no actions: nothing to mention, open or message. */
export function isDeleted(user: User): boolean {
  return user.is_deleted === true;
}

/** The web app's user card shows at most this many summary fields (Zulip's own limit on display_in_profile_summary). */
export const PROFILE_SUMMARY_MAX = 2;

export interface SummaryField {
  name: string;
  /** Plain text; each surface escapes it. */
  text: string;
}

function optionText(field: CustomProfileField, key: string): string {
  try {
    const options = JSON.parse(field.field_data) as Record<string, { text?: unknown }> | null;
    const text = options?.[key]?.text;
    return typeof text === 'string' ? text : key;
  } catch {
    return key;
  }
}

function userNames(raw: string, member: (userId: number) => User | undefined): string {
  let ids: unknown;
  try {
    ids = JSON.parse(raw);
  } catch {
    return raw;
  }
  if (!Array.isArray(ids)) return raw;
  return ids
    .filter((id): id is number => Number.isSafeInteger(id) && id > 0)
    .map((id) => member(id)?.full_name ?? unknownUserName())
    .join(', ');
}

/** Zulip's name for a member the signed-in user may not see (UserProfile.INACCESSIBLE_USER_NAME). */
export const UNKNOWN_USER_NAME = 'Unknown user';

/** Zulip's name for a member you may not see, in the display language. */
export function unknownUserName(): string {
  return l10n.t('Unknown user');
}

/**
 * The custom profile fields the organization marked display_in_profile_summary, as the web app's
 * user card shows them (web/src/user_card_popover.ts): in the organization's order, set ones only,
 * at most two. Pronouns are left out: every card shows them beside the name already.
 */
export function profileSummary(user: User, fields: readonly CustomProfileField[], member: (userId: number) => User | undefined, locale?: string): SummaryField[] {
  const out: SummaryField[] = [];
  for (const field of fields) {
    if (out.length >= PROFILE_SUMMARY_MAX) break;
    if (!field.display_in_profile_summary || field.type === ProfileFieldType.Pronouns) continue;
    const raw = user.profile_data?.[String(field.id)]?.value;
    if (typeof raw !== 'string' || !raw.trim()) continue;
    let text: string;
    if (field.type === ProfileFieldType.Select) text = optionText(field, raw);
    else if (field.type === ProfileFieldType.Date) text = formatDate(raw, locale);
    else if (field.type === ProfileFieldType.Users) text = userNames(raw, member);
    else text = raw;
    text = text.replace(/\s+/g, ' ').trim();
    if (text) out.push({ name: field.name, text });
  }
  return out;
}
