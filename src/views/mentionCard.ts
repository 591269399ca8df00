// The hover card for a mention, as Markdown text. Every piece of member or group data is
// escaped (Markdown and HTML alike) so that a name like `[x](command:zulip.signOut)` or
// `<img src=x onerror=…>` shows as the text it is; the only links are the card's own
// "Open profile" and "Copy mention" commands. No vscode import: rendered and checked in plain
// Node, and timed by the benchmark.
import * as l10n from '@vscode/l10n';
import { botTypeLabel, isDeleted, localTime, profileSummary, pronounFieldIds, pronounsOf, realEmail, roleLabel, unknownUserName, type SummaryField } from '../model/memberInfo';
import { formatGroupMention, formatUserMention, mentionAt, type Mention } from '../model/mentionParser';
import type { DocumentMention } from '../model/mentionDocument';
import { resolveMention, ruleOrganization, type MemberMatch, type MentionOrganization, type MentionResolution } from '../model/mentionResolver';
import { mentionOutcome, type MentionOutcome } from '../model/mentionRules';
import type { Organization } from '../model/organization';
import { lastActiveTextOf } from '../model/lastActive';
import { presenceLabel, type PresenceState } from '../model/presence';
import type { UserStatus } from '../model/userStatus';
import { statusMarkdown } from './statusText';
import { memberCount } from './memberRowText';
import { groupChildren } from './groupTreeModel';
import { mayMentionGroup } from '../model/userGroups';
import type { User, UserGroup } from '../zulip/types';
import { escapeMarkdown, markdownDestination } from '../text/markdownText';

/** The commands a card may link to; the hover trusts exactly these. */
export const CARD_COMMANDS = ['zulip.openProfile', 'zulip.copyMention'] as const;

export interface CardOrganization extends MentionOrganization {
  /** The avatar as a URI string (a cached file), or undefined: the card then shows no image. */
  avatarOf(user: User): string | undefined;
  pronounsOf(user: User): string | undefined;
  presenceOf(user: User): PresenceState | undefined;
  /** Zulip's words for when the member was last active ("Active 5 minutes ago"). */
  lastActiveOf?(user: User): string | undefined;
  statusOf?(user: User): UserStatus | undefined;
  /** The fields the organization shows on its user card (display_in_profile_summary, at most two). */
  summaryOf?(user: User): SummaryField[];
  /** A custom (or Zulip) status emoji's image as a URI string (a cached file), or undefined: the card then writes :name:. */
  emojiImageOf?(status: UserStatus): string | undefined;
  /** The signed-in member, for whether they may mention a group. */
  selfId?: number;
}

/** A group card lists this many members, then "and N more". */
export const GROUP_CARD_MEMBERS = 8;

/**
 * What a card needs of a live Organization. `avatarOf` says how an avatar shows where the card
 * is drawn: a cached file in VS Code, the https URL elsewhere (the benchmark).
 */
export function cardOrganization(org: Organization, avatarOf: (user: User) => string | undefined, extra: Pick<CardOrganization, 'emojiImageOf'> = {}): CardOrganization {
  return {
    id: org.id,
    get name() {
      return org.name;
    },
    members: org.members,
    avatarOf,
    pronounsOf: (user) => pronounsOf(user, pronounFieldIds(org.profileFields)),
    presenceOf: (user) => org.presence.stateOf(user),
    lastActiveOf: (user) => lastActiveTextOf(org.presence, user),
    statusOf: (user) => org.statuses.get(user.user_id),
    summaryOf: (user) => profileSummary(user, org.profileFields, (id) => org.members.get(id)),
    selfId: org.account.userId,
    ...extra,
  };
}

/**
 * Where the mention stands in its document (MentionDocument.mentionAt): quoted, or in a plain
 * file what Zulip would make of it as a message. 'notMention': Zulip's Markdown does not read
 * this text as a mention at all (it is inside code, or escaped).
 */
export type MentionPlace = Pick<DocumentMention, 'quoted' | 'asMarkdown'> | 'notMention';

export interface CardOptions {
  place?: MentionPlace;
  now?: Date;
  locale?: string;
  /** Pixel size of the avatar image. */
  avatarSize?: number;
  /** The server's own bots, as far as known (ResolveOptions.crossRealmBotsOf). */
  crossRealmBotsOf?: (org: CardOrganization) => readonly User[] | undefined;
}

export interface MentionCard {
  markdown: string;
  /** Offsets of the mention in its line, for the hover's range. */
  start: number;
  end: number;
}

/**
 * Member data as one line of Markdown text: escaped by the shared escapeMarkdown (punctuation,
 * so no link, emphasis or HTML survives), with whitespace runs made single spaces.
 */
export function inlineText(text: string): string {
  return escapeMarkdown(text.replace(/\s+/gu, ' '));
}

/** A `command:` link target with JSON arguments, safe inside a Markdown link destination. */
export function commandLink(command: (typeof CARD_COMMANDS)[number], args: unknown): string {
  const query = encodeURIComponent(JSON.stringify(args)).replace(/[()'!*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `command:${command}?${query}`;
}

const LINE = '  \n';

/**
 * How many of the members sharing a name an ambiguous mention's card lists. In a large
 * organization hundreds can share one ("Build Bot"): listing them all made a 90 KB card that
 * took tens of milliseconds to build and could not be read anyway.
 */
export const MAX_LISTED_MATCHES = 10;

function memberActions(match: MemberMatch): string {
  const args = { accountId: match.org.id, userId: match.user.user_id };
  return `[${inlineText(l10n.t('Open profile'))}](${commandLink('zulip.openProfile', args)}) · [${inlineText(l10n.t('Copy mention'))}](${commandLink('zulip.copyMention', args)})`;
}

const PRESENCE_DOTS: Record<PresenceState, string> = { active: '🟢', idle: '🟡', offline: '⚪' };

function presenceText(presence: PresenceState | undefined, words?: string): string | undefined {
  return presence ? `${PRESENCE_DOTS[presence]} ${words ?? presenceLabel(presence, 'sentence')}` : undefined;
}

/** The card of one member: avatar, name, pronouns, role, real email, local time, presence and actions. */
export function renderMemberCard(match: MemberMatch<CardOrganization>, options: CardOptions = {}, showOrganization = false): string {
  const { org, user } = match;
  const size = options.avatarSize ?? 64;
  const parts: string[] = [];
  const avatar = org.avatarOf(user);
  if (avatar) parts.push(`![](${markdownDestination(avatar)}|width=${size},height=${size})`);

  const pronouns = org.pronounsOf(user);
  const heading = [`**${inlineText(user.full_name.trim() || l10n.t('User {0}', user.user_id))}**`];
  if (pronouns) heading.push(`(${inlineText(pronouns)})`);
  const lines = [heading.join(' ')];
  // Escaped by statusMarkdown: the status is the member's own text.
  const memberStatus = org.statusOf?.(user);
  const statusLine = statusMarkdown(memberStatus, memberStatus && org.emojiImageOf?.(memberStatus));
  if (statusLine) lines.push(statusLine);

  const status = [user.is_bot ? (botTypeLabel(user) ?? roleLabel(user)) : roleLabel(user)];
  if (isDeleted(user)) status.push(l10n.t('Deleted user'));
  else if (!user.is_active) status.push(l10n.t('Deactivated'));
  lines.push(inlineText(status.join(' · ')));

  const email = realEmail(user);
  if (email) lines.push(inlineText(email));

  const time = localTime(user.timezone, options.now ?? new Date(), options.locale);
  if (time.ok) lines.push(inlineText(l10n.t('{0} local time ({1})', time.text, time.zone)));

  const presence = presenceText(org.presenceOf(user), org.lastActiveOf?.(user));
  if (presence) lines.push(inlineText(presence));

  for (const field of org.summaryOf?.(user) ?? []) lines.push(`${inlineText(field.name)}: ${inlineText(field.text)}`);

  lines.push(inlineText(showOrganization ? l10n.t('{0} · user id {1}', org.name, user.user_id) : l10n.t('user id {0}', user.user_id)));
  parts.push(lines.join(LINE));
  // The server's own bots have no profile in the organization to open; Zulip offers no actions on a deleted account.
  if (user.is_system_bot) parts.push(inlineText(l10n.t('A bot of the Zulip server itself: every organization can mention it.')));
  else if (isDeleted(user)) parts.push(inlineText(l10n.t('This account was deleted: there is nothing to open or mention.')));
  else parts.push(memberActions(match));
  return parts.join('\n\n');
}

/** The group's direct members sorted by name, each with their presence dot: the first few, then how many more. */
function groupMemberLines(org: CardOrganization, group: UserGroup): string | undefined {
  // Ids the loaded list lacks are people a restricted guest may not see: Zulip names them "Unknown user".
  const children = groupChildren(group, (id) => org.members.get(id), [], true, org.members.size > 0);
  const users = children.members;
  const unknown = children.unknown.length;
  if (!users.length && !unknown) return undefined;
  const named = users.slice(0, GROUP_CARD_MEMBERS).map((user) => {
    const presence = org.presenceOf(user);
    return inlineText(`${presence ? PRESENCE_DOTS[presence] + ' ' : ''}${user.full_name}`);
  });
  const shown = [...named, ...Array<string>(Math.max(0, Math.min(unknown, GROUP_CARD_MEMBERS - named.length))).fill(inlineText(unknownUserName()))];
  const more = users.length + unknown - shown.length;
  return shown.join(LINE) + (more > 0 ? `${LINE}${inlineText(l10n.t('and {0} more', more))}` : '');
}

function orgNames(orgs: readonly MentionOrganization[]): string {
  return orgs.map((o) => o.name).join(', ');
}

function renderResolution(
  resolution: MentionResolution<CardOrganization>,
  allOrgs: readonly CardOrganization[],
  options: CardOptions,
  groupsOf?: (org: CardOrganization) => readonly UserGroup[] | undefined,
): string {
  switch (resolution.kind) {
    case 'member':
      return renderMember(resolution, allOrgs, options);
    case 'ambiguous':
      return renderAmbiguous(resolution);
    case 'unknown':
      return renderUnknown(resolution);
    case 'wildcard':
      return renderWildcard(resolution);
    case 'group':
      return renderGroups(resolution, options, groupsOf);
    case 'noOrganization':
      return inlineText(l10n.t('Sign in to a Zulip organization to see who this mention means.'));
  }
}

type ResolutionOf<K extends MentionResolution<CardOrganization>['kind']> = Extract<MentionResolution<CardOrganization>, { kind: K }>;

/** One member: their card, and what is off about the mention. */
function renderMember(resolution: ResolutionOf<'member'>, allOrgs: readonly CardOrganization[], options: CardOptions): string {
  const several = allOrgs.length > 1;
  const { match, nameMismatch, mention } = resolution;
  const showOrg = several && match.org !== allOrgs[0];
  const card = renderMemberCard(match, options, several);
  const notes: string[] = [];
  if (nameMismatch !== undefined) {
    notes.push(
      inlineText(
        `⚠️ ${l10n.t(
          'This mention says "{0}", but user {1} is called "{2}". Zulip shows it as plain text: with |id, the name must be that member\'s. Write {3}.',
          nameMismatch,
          match.user.user_id,
          match.user.full_name,
          formatUserMention(match.user.full_name, match.user.user_id, mention.silent),
        )}`,
      ),
    );
  }
  if (showOrg) notes.push(inlineText(l10n.t('No member of {0} matches; found in {1}.', allOrgs[0].name, match.org.name)));
  if (mention.silent) notes.push(inlineText(l10n.t('Silent mention: shows the name without notifying.')));
  return [card, ...notes].join('\n\n');
}

/** Several members by the name (or id): each with its id and the mention that picks it. */
function renderAmbiguous(resolution: ResolutionOf<'ambiguous'>): string {
  const { matches, mention } = resolution;
  const name = mention.name ?? '';
  const inOneOrg = matches.every((m) => m.org === matches[0].org);
  const intro =
    mention.id !== undefined
      ? l10n.t('User id {0} exists in {1} organizations:', mention.id, matches.length)
      : inOneOrg
        ? l10n.t('{0} members of {1} are called "{2}". Zulip cannot tell them apart; mention one with its id:', matches.length, matches[0].org.name, name)
        : l10n.t('{0} members are called "{1}":', matches.length, name);
  const items = matches.slice(0, MAX_LISTED_MATCHES).map((m) => {
    const facts = [roleLabel(m.user), realEmail(m.user), m.user.is_active ? undefined : l10n.t('Deactivated'), inOneOrg ? undefined : m.org.name].filter(Boolean).join(', ');
    const text = `${m.user.full_name} (${facts}) · ${l10n.t('user id {0}', m.user.user_id)} · ${formatUserMention(m.user.full_name, m.user.user_id, mention.silent)}`;
    return isDeleted(m.user) ? `- ${inlineText(l10n.t('{0} · deleted', text))}` : `- ${inlineText(text)} · ${memberActions(m)}`;
  });
  const more = matches.length - items.length;
  if (more > 0) items.push(`- ${inlineText(l10n.t('…and {0} more: "Zulip: Find Member…" finds them all.', more))}`);
  return [inlineText(intro), items.join('\n')].join('\n\n');
}

/** Nobody by the name or id, and why that may be. */
function renderUnknown(resolution: ResolutionOf<'unknown'>): string {
  const { mention, orgs } = resolution;
  const loading = orgs.filter((o) => o.members.size === 0);
  const nobody =
    mention.id !== undefined
      ? l10n.t('No member of {0} has the user id {1}.', orgNames(orgs), mention.id)
      : l10n.t('No member of {0} is called "{1}".', orgNames(orgs), mention.name ?? '');
  const lines = [inlineText(nobody)];
  // A guest of an organization that limits what guests see gets no data about some members.
  const limited = mention.id !== undefined ? orgs.filter((o) => o.selfId !== undefined && o.members.get(o.selfId)?.is_guest) : [];
  if (limited.length) lines.push(inlineText(l10n.t('You are a guest of {0}: it may keep members from you, and Zulip shows them as "{1}".', orgNames(limited), unknownUserName())));
  if (loading.length) lines.push(inlineText(l10n.t('The members of {0} have not loaded yet.', orgNames(loading))));
  lines.push(inlineText(l10n.t('Zulip shows a mention of nobody as plain text. "Zulip: Find Member…" can look people up on the server.')));
  return lines.join('\n\n');
}

function renderWildcard(resolution: ResolutionOf<'wildcard'>): string {
  const { mention } = resolution;
  const notifies =
    mention.scope === 'topic'
      ? l10n.t('Wildcard mention: notifies everyone who has taken part in the topic.')
      : l10n.t('Wildcard mention: notifies everyone subscribed to the channel (all, everyone, channel and stream mean the same).');
  const lines = [`**${inlineText(`@${mention.wildcard}`)}**`, inlineText(notifies)];
  if (mention.silent) lines.push(inlineText(l10n.t('Silent: shows the mention without notifying anyone.')));
  return lines.join('\n\n');
}

/** Each group by the name (one per organization), or why there is none. */
function renderGroups(resolution: ResolutionOf<'group'>, options: CardOptions, groupsOf?: (org: CardOrganization) => readonly UserGroup[] | undefined): string {
  const { mention, matches, orgs, unloaded } = resolution;
  if (matches.length === 0) {
    const loaded = orgs.filter((o) => !unloaded.includes(o));
    const lines: string[] = [];
    if (loaded.length) lines.push(inlineText(l10n.t('No user group of {0} is called "{1}".', orgNames(loaded), mention.name)));
    if (unloaded.length) lines.push(inlineText(l10n.t('The user groups of {0} could not be loaded.', orgNames(unloaded))));
    if (loaded.length) lines.push(inlineText(l10n.t('Zulip shows a mention of a group that does not exist as plain text.')));
    return lines.join('\n\n');
  }
  return matches
    .map(({ org, group, memberCount: count, caseDiffers }) => {
      const lines = [`**${inlineText(group.name)}**`];
      const facts = [l10n.t('User group of {0}', org.name), memberCount(count, options.locale)];
      if (group.is_system_group) facts.push(l10n.t('system group'));
      if (group.deactivated) facts.push(l10n.t('deactivated'));
      lines.push(inlineText(facts.join(' · ')));
      if (group.description?.trim()) lines.push(inlineText(group.description));
      const members = groupMemberLines(org, group);
      if (members) lines.push(members);
      const all = groupsOf?.(org);
      const may = all && mayMentionGroup(group, org.selfId, (id) => all.find((g) => g.id === id));
      // A mention the setting leaves out is refused when sent loudly: the outcome's note says so.
      if (may) lines.push(inlineText(l10n.t('You may mention this group.')));
      if (caseDiffers) lines.push(inlineText(`⚠️ ${l10n.t('Zulip matches group names exactly: write {0}.', formatGroupMention(group.name, mention.silent))}`));
      if (mention.silent) lines.push(inlineText(l10n.t('Silent mention: shows the group without notifying its members.')));
      return lines.join('\n\n');
    })
    .join('\n\n---\n\n');
}

/** The mention as Zulip shows it: `@Name`, or `Name` for a silent one (Zulip drops the @). */
function shownAs(outcome: MentionOutcome): string | undefined {
  if (outcome.shownName === undefined || outcome.display === 'text') return undefined;
  return outcome.display === 'silent' ? outcome.shownName : `@${outcome.shownName}`;
}

/**
 * What sending the text as a Zulip message does with this mention, beyond what the card says
 * already: the facts of mentionOutcome and of the mention's place in its document, as sentences.
 */
export function outcomeNotes(resolution: MentionResolution, outcome: MentionOutcome, place: MentionPlace | undefined): string[] {
  if (place === 'notMention') return [l10n.t('In this Markdown file Zulip would not read this as a mention (it is inside code or escaped): it shows as typed and notifies nobody.')];
  const notes: string[] = [];
  if (outcome.because === 'quoted') notes.push(l10n.t('Silent: inside a quote. Zulip shows the name without notifying anyone.'));
  if (outcome.because === 'deactivatedMember') notes.push(l10n.t('Deactivated: nobody is notified.'));
  if (outcome.because === 'deactivatedGroup') notes.push(l10n.t('Deactivated group: nobody is notified.'));
  if (outcome.refused) notes.push(l10n.t('You may not mention this group; sending would be refused. A silent mention (@_*…*) is allowed.'));
  if (outcome.serverDecides === 'whichOfSameName' && resolution.kind === 'ambiguous') {
    notes.push(l10n.t('Zulip picks one of {0}, and does not promise which: only that one is notified.', resolution.matches.length));
  }
  if (outcome.shadowedMember && resolution.kind === 'wildcard') {
    const member = outcome.shadowedMember;
    notes.push(
      l10n.t('This notifies everyone, not the member named {0}. To mention them, write {1}.', member.full_name, formatUserMention(member.full_name, member.user_id, resolution.mention.silent)),
    );
  }
  const shown = shownAs(outcome);
  const written = resolution.mention.kind === 'wildcard' ? resolution.mention.wildcard : resolution.mention.name;
  if (shown !== undefined && (resolution.kind === 'member' || resolution.kind === 'group') && written !== outcome.shownName) notes.push(l10n.t('Zulip shows it as "{0}".', shown));
  if (place?.asMarkdown === 'quoted' && outcome.display === 'mention') notes.push(l10n.t('As a Zulip message this would be silent: it is inside a quote.'));
  if (place?.asMarkdown === 'code') notes.push(l10n.t('As a Zulip message this would be code, not a mention.'));
  return notes;
}

/**
 * Mention text at an offset of a line → card content, or undefined when no mention is there.
 * Synchronous and request-free: members come from memory, groups from `groupsOf` (loaded once
 * per organization by the caller). Organizations are listed default first.
 */
export function mentionCardAt(
  line: string,
  offset: number,
  orgs: readonly CardOrganization[],
  groupsOf: (org: CardOrganization) => readonly UserGroup[] | undefined = () => undefined,
  options: CardOptions = {},
): MentionCard | undefined {
  const mention = mentionAt(line, offset);
  return mention && mentionCardFor(mention, orgs, groupsOf, options);
}

/** The card of a mention already found (by MentionDocument, or the line parser). */
export function mentionCardFor(
  mention: Mention,
  orgs: readonly CardOrganization[],
  groupsOf: (org: CardOrganization) => readonly UserGroup[] | undefined = () => undefined,
  options: CardOptions = {},
): MentionCard {
  const resolution = resolveMention(mention, orgs, groupsOf, { crossRealmBotsOf: options.crossRealmBotsOf && ((org) => options.crossRealmBotsOf!(org)) });
  const org = ruleOrganization(resolution, orgs);
  const place = options.place;
  const outcome = mentionOutcome(resolution, { quoted: place !== undefined && place !== 'notMention' && place.quoted }, org && { org, groups: groupsOf(org), selfUserId: org.selfId });
  const notes = outcomeNotes(resolution, outcome, place).map((note) => inlineText(`ℹ️ ${note}`));
  return { markdown: [renderResolution(resolution, orgs, options, groupsOf), ...notes].join('\n\n'), start: mention.start, end: mention.end };
}
