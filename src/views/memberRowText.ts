// The words of the Members tree's rows: labels, descriptions, tooltips (Markdown with every piece
// of member data escaped), accessibility labels and context values. No vscode import: tested
// directly, and computed only for rows VS Code asks for.
import * as l10n from '@vscode/l10n';
import { groupLabelOf, type MemberGroupKind } from '../model/memberIndex';
import { botTypeLabel, isDeleted, localTime, profileSummary, pronounFieldIds, pronounsOf, realEmail, roleLabel } from '../model/memberInfo';
import type { OrganizationState } from '../model/organization';
import { presenceLabel, type PresenceState } from '../model/presence';
import { siteHost } from '../zulip/site';
import type { CustomProfileField, User } from '../zulip/types';
import { escapeMarkdown } from '../text/markdownText';
import type { UserStatus } from '../model/userStatus';
import { statusEmojiChars, statusMarkdown, statusSummary } from './statusText';

export type DescriptionMode = 'pronouns' | 'localTime' | 'none';

export interface RowContext {
  site: string;
  /** Members by id, for a bot's owner. */
  member(userId: number): User | undefined;
  profileFields: readonly CustomProfileField[];
  presence?: PresenceState;
  /** Zulip's words for the presence ("Active 5 minutes ago"); the presence label when absent. */
  lastActive?: string;
  status?: UserStatus;
  mode: DescriptionMode;
  now?: Date;
  locale?: string;
}

const LINE = '  \n';

function botLine(user: User, ctx: RowContext): string | undefined {
  if (!user.is_bot) return undefined;
  const type = botTypeLabel(user) ?? l10n.t('Bot');
  const owner = user.bot_owner_id !== null ? ctx.member(user.bot_owner_id) : undefined;
  return owner ? l10n.t('{0} · owner {1}', type, owner.full_name) : type;
}

/** The row's label: the name, then a Unicode status emoji as Zulip's buddy list places it. */
export function memberLabel(user: User, ctx: Pick<RowContext, 'status'>): string {
  const emoji = statusEmojiChars(ctx.status);
  return emoji ? `${user.full_name} ${emoji}` : user.full_name;
}

/** The row's description: the status (cut), then a bot's type and owner, or pronouns or local time as the setting says. */
export function memberDescription(user: User, ctx: RowContext): string {
  const status = ctx.status?.text ? statusSummary({ ...ctx.status, emoji: undefined }) : '';
  const rest = baseDescription(user, ctx);
  return [status, rest].filter(Boolean).join(' · ');
}

function baseDescription(user: User, ctx: RowContext): string {
  const bot = botLine(user, ctx);
  if (bot) return bot;
  if (ctx.mode === 'pronouns') return pronounsOf(user, pronounFieldIds(ctx.profileFields)) ?? '';
  if (ctx.mode === 'localTime') {
    const time = localTime(user.timezone, ctx.now, ctx.locale);
    return time.ok ? time.text : '';
  }
  return '';
}

/** A tooltip card in Markdown; member text escaped, no links. */
export function memberTooltip(user: User, ctx: RowContext): string {
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(user.full_name)}**`);
  const pronouns = pronounsOf(user, pronounFieldIds(ctx.profileFields));
  const facts = [roleLabel(user), pronouns, ctx.lastActive ?? presenceLabel(ctx.presence)].filter((x): x is string => !!x);
  lines.push(facts.map(escapeMarkdown).join(' · '));
  const status = statusMarkdown(ctx.status);
  if (status) lines.push(status);
  const bot = botLine(user, ctx);
  if (bot) lines.push(escapeMarkdown(bot));
  const email = realEmail(user);
  if (email) lines.push(escapeMarkdown(email));
  if (!user.is_bot) {
    const time = localTime(user.timezone, ctx.now, ctx.locale);
    lines.push(time.ok ? l10n.t('Local time: {0} ({1})', escapeMarkdown(time.text), escapeMarkdown(time.zone)) : escapeMarkdown(time.reason));
  }
  for (const field of profileSummary(user, ctx.profileFields, (id) => ctx.member(id), ctx.locale)) lines.push(`${escapeMarkdown(field.name)}: ${escapeMarkdown(field.text)}`);
  if (isDeleted(user)) lines.push(l10n.t('Deleted user: nothing to open or mention'));
  else if (!user.is_active) lines.push(l10n.t('Deactivated'));
  lines.push(l10n.t('User ID {0}', user.user_id));
  return lines.join(LINE);
}

/** What a screen reader says for the row: name, then what the eye gets from icon and description. */
export function memberAccessibilityLabel(user: User, ctx: RowContext): string {
  const parts = [user.full_name];
  if (ctx.status?.emoji) parts.push(l10n.t('status emoji {0}', ctx.status.emoji.name));
  const description = memberDescription(user, ctx);
  if (description) parts.push(description);
  const presence = ctx.lastActive ?? presenceLabel(ctx.presence);
  if (presence) parts.push(presence);
  parts.push(roleLabel(user));
  if (isDeleted(user)) parts.push(l10n.t('deleted'));
  else if (!user.is_active) parts.push(l10n.t('deactivated'));
  return parts.join(', ');
}

/**
 * "deletedMember" for a deleted account (FL 490): no menu matches it, as Zulip offers no actions.
 * Otherwise "member", then ".email" when a real address is known (Copy Email shows only then), ".bot",
 * ".deactivated". Menus match these with `viewItem =~ /^member\b/` and `/\.email\b/`.
 */
export function memberContextValue(user: User): string {
  if (isDeleted(user)) return 'deletedMember';
  let value = 'member';
  if (realEmail(user)) value += '.email';
  if (user.is_bot) value += '.bot';
  if (!user.is_active) value += '.deactivated';
  return value;
}

export function groupLabel(group: MemberGroupKind, count: number, locale?: string): string {
  return `${groupLabelOf(group)} (${count.toLocaleString(locale)})`;
}

/** "4 members", "1 member". */
export function memberCount(count: number, locale?: string): string {
  return count === 1 ? l10n.t('1 member') : l10n.t('{0} members', count.toLocaleString(locale));
}

export function groupAccessibilityLabel(group: MemberGroupKind, count: number, locale?: string): string {
  return `${groupLabelOf(group)}, ${memberCount(count, locale)}`;
}

export function bucketRowLabel(label: string, count: number, locale?: string): string {
  return `${label} (${count.toLocaleString(locale)})`;
}

export function bucketAccessibilityLabel(group: MemberGroupKind, label: string, count: number, locale?: string): string {
  // "Members 00001–00500" is a range of numbers; "Members starting with A" a letter.
  const what = /\d\u2013\d/.test(label) ? `${groupLabelOf(group)} ${label}` : l10n.t('{0} starting with {1}', groupLabelOf(group), label);
  return `${what}, ${memberCount(count, locale)}`;
}

/** The organization row's description for its state. */
export function orgDescription(state: OrganizationState): string {
  switch (state.kind) {
    case 'loading':
      return l10n.t('loading…');
    case 'stale':
      return l10n.t('offline — showing saved members');
    case 'offline':
      return l10n.t('offline');
    case 'needsSignIn':
      return l10n.t('sign-in needed');
    case 'ready':
      return '';
  }
}

/** Organization rows that would read the same (two accounts on one site): the ids of those rows. */
export function ambiguousOrgRows(rows: readonly { id: string; name: string }[]): Set<string> {
  const byName = new Map<string, string[]>();
  for (const row of rows) byName.set(row.name, [...(byName.get(row.name) ?? []), row.id]);
  return new Set([...byName.values()].filter((ids) => ids.length > 1).flat());
}

/** The organization row's description: its state, and whose account it is when its name is shared. */
export function orgRowDescription(state: OrganizationState, email: string, shared: boolean): string {
  const description = orgDescription(state);
  if (!shared) return description;
  return description ? `${email} · ${description}` : email;
}

export function orgTooltip(name: string, site: string, email: string, state: OrganizationState, locale?: string): string {
  const lines = [`**${escapeMarkdown(name)}**`, escapeMarkdown(site), l10n.t('Signed in as {0}', escapeMarkdown(email))];
  if (state.kind === 'stale') {
    const since = new Date(state.since).toLocaleString(locale);
    lines.push(l10n.t('Offline since {0}: {1}', escapeMarkdown(since), escapeMarkdown(state.reason)));
  } else if (state.kind === 'offline' || state.kind === 'needsSignIn') {
    lines.push(escapeMarkdown(state.reason));
  }
  return lines.join(LINE);
}

export function orgAccessibilityLabel(name: string, state: OrganizationState, email?: string): string {
  const description = email === undefined ? orgDescription(state) : orgRowDescription(state, email, true);
  return description ? l10n.t('{0}, Zulip organization, {1}', name, description) : l10n.t('{0}, Zulip organization', name);
}

export function statusLabel(status: 'loading' | 'offline' | 'retry' | 'signIn' | 'noMatches', site: string, state: OrganizationState, filter: string): string {
  const host = siteHost(site);
  switch (status) {
    case 'loading':
      return l10n.t('Loading members…');
    case 'offline':
      return l10n.t('Cannot reach {0}: {1}', host, state.kind === 'offline' || state.kind === 'stale' ? state.reason : l10n.t('no connection'));
    case 'retry':
      return state.kind === 'stale' ? l10n.t('Retry connecting to {0}', host) : l10n.t('Retry');
    case 'signIn':
      return l10n.t('Sign in again');
    case 'noMatches':
      return l10n.t('No members match “{0}”', filter);
  }
}
