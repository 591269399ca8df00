// Who a parsed mention means, following Zulip's rules: with `|id` the id decides (and the name
// must be that member's, or Zulip does not treat it as a mention); without it, the name is
// matched case-insensitively and may be shared. With several organizations signed in, the
// default one is asked first and the others only when it has no match.
// Pure: works on member indexes already in memory, so resolving costs no request.
import type { User, UserGroup } from '../zulip/types';
import type { MemberIndex } from './memberIndex';
import { membersNamed } from './memberNames';
import { countGroupMembers } from './userGroups';
import type { GroupMention, Mention, UserMention, WildcardMention } from './mentionParser';

/** What the resolver needs of an organization (Organization has all of it). */
export interface MentionOrganization {
  readonly id: string;
  readonly name: string;
  readonly members: MemberIndex;
}

export interface MemberMatch<O extends MentionOrganization = MentionOrganization> {
  org: O;
  user: User;
}

export type MentionResolution<O extends MentionOrganization = MentionOrganization> =
  /**
   * Exactly one member. `nameMismatch`: `|id` found a member whose name differs from the one
   * written (case included: Zulip compares `user.full_name != full_name`, and shows plain text).
   */
  | { kind: 'member'; mention: UserMention; match: MemberMatch<O>; nameMismatch?: string }
  /** Several members share the name (in one organization, or one each in several). */
  | { kind: 'ambiguous'; mention: UserMention; matches: MemberMatch<O>[] }
  /** Nobody by that name or id in any signed-in organization; `orgs` are the ones asked. */
  | { kind: 'unknown'; mention: UserMention; orgs: readonly O[] }
  | { kind: 'wildcard'; mention: WildcardMention }
  /** `unloaded`: organizations whose groups could not be had. */
  | { kind: 'group'; mention: GroupMention; matches: GroupMatch<O>[]; orgs: readonly O[]; unloaded: O[] }
  /** No organization is signed in. */
  | { kind: 'noOrganization'; mention: Mention };

export interface ResolveOptions<O extends MentionOrganization = MentionOrganization> {
  /**
   * Bots of the server itself (`cross_realm_bots` from POST /register, such as Notification Bot):
   * Zulip's mention lookup includes them in every organization. `needed` is true when no member
   * matches, so a caller may fetch them then (undefined: not known yet).
   */
  crossRealmBotsOf?: (org: O, needed: boolean) => readonly User[] | undefined;
}

export interface GroupMatch<O extends MentionOrganization = MentionOrganization> {
  org: O;
  group: UserGroup;
  /** Distinct members, counting those of subgroups. */
  memberCount: number;
  /** Zulip matches group names exactly; set when only a different capitalization exists. */
  caseDiffers?: boolean;
}

/**
 * Resolves a mention among organizations listed default first. `groupsOf` gives an
 * organization's user groups when they are loaded (groups come from one request per organization).
 */
export function resolveMention<O extends MentionOrganization>(
  mention: Mention,
  orgs: readonly O[],
  groupsOf: (org: O) => readonly UserGroup[] | undefined = () => undefined,
  options: ResolveOptions<O> = {},
): MentionResolution<O> {
  if (mention.kind === 'wildcard') return { kind: 'wildcard', mention };
  if (orgs.length === 0) return { kind: 'noOrganization', mention };
  if (mention.kind === 'group') return resolveGroup(mention, orgs, groupsOf);
  return resolveUser(mention, orgs, options.crossRealmBotsOf ?? NO_BOTS);
}

type BotsOf<O> = (org: O, needed: boolean) => readonly User[] | undefined;
const NO_BOTS = () => undefined;

function resolveUser<O extends MentionOrganization>(mention: UserMention, orgs: readonly O[], bots: BotsOf<O>): MentionResolution<O> {
  // Runs for every mention of a document: no copies of lists where one organization answers.
  let matches = matchesIn(mention, orgs[0], bots);
  // The default has nobody by that name or id: show what the others have, each with its organization.
  if (matches.length === 0 && orgs.length > 1) matches = orgs.slice(1).flatMap((org) => matchesIn(mention, org, bots));
  if (matches.length === 0) return { kind: 'unknown', mention, orgs };
  if (matches.length > 1) return { kind: 'ambiguous', mention, matches: [...matches] };
  const match = matches[0];
  const written = mention.name;
  const nameMismatch = mention.id !== undefined && written !== undefined && written !== match.user.full_name ? written : undefined;
  return { kind: 'member', mention, match, nameMismatch };
}

const NO_MATCHES: readonly never[] = Object.freeze([]);

function matchesIn<O extends MentionOrganization>(mention: UserMention, org: O, botsOf: BotsOf<O>): readonly MemberMatch<O>[] {
  if (mention.id !== undefined) {
    const id = mention.id;
    const user = Number.isSafeInteger(id) ? (org.members.get(id) ?? botsOf(org, true)?.find((b) => b.user_id === id)) : undefined;
    return user ? [{ org, user }] : NO_MATCHES;
  }
  const name = mention.name ?? '';
  const members = membersNamed(org.members, name);
  const bots = botsOf(org, members.length === 0);
  if (!bots?.length) {
    if (members.length === 0) return NO_MATCHES;
    if (members.length === 1) return [{ org, user: members[0] }];
  }
  const named = [...members];
  if (bots?.length) {
    // Zulip's lookup is full_name__iexact, like byName.
    const lower = name.toLowerCase();
    for (const bot of bots) if (bot.full_name.toLowerCase() === lower && !named.some((u) => u.user_id === bot.user_id)) named.push(bot);
  }
  return named.sort((a, b) => a.user_id - b.user_id).map((user) => ({ org, user }));
}

function resolveGroup<O extends MentionOrganization>(
  mention: GroupMention,
  orgs: readonly O[],
  groupsOf: (org: O) => readonly UserGroup[] | undefined,
): MentionResolution<O> {
  const unloaded: O[] = [];
  for (const org of orgs) {
    const groups = groupsOf(org);
    if (!groups) {
      unloaded.push(org);
      continue;
    }
    const exact = groups.filter((g) => g.name === mention.name);
    const lower = mention.name.toLowerCase();
    const found = exact.length ? exact : groups.filter((g) => g.name.toLowerCase() === lower);
    if (found.length) {
      return {
        kind: 'group',
        mention,
        orgs,
        unloaded,
        matches: found.map((group) => ({ org, group, memberCount: memberCountOf(group, groups), caseDiffers: exact.length === 0 || undefined })),
      };
    }
  }
  return { kind: 'group', mention, orgs, unloaded, matches: [] };
}

/**
 * countGroupMembers, remembered per list of groups: a system group can hold most of a large
 * organization (78,000 members of 100,000), and counting it again on every hover took
 * milliseconds. Group lists are replaced, never changed, when groups are fetched again.
 */
const memberCounts = new WeakMap<readonly UserGroup[], Map<UserGroup, number>>();

function memberCountOf(group: UserGroup, all: readonly UserGroup[]): number {
  let counts = memberCounts.get(all);
  if (!counts) memberCounts.set(all, (counts = new Map<UserGroup, number>()));
  let count = counts.get(group);
  if (count === undefined) counts.set(group, (count = countGroupMembers(group, all)));
  return count;
}

/**
 * The organization whose rules apply to a resolved mention: the one the member or group was found
 * in (the first, when several), else the default one, `orgs[0]`.
 */
export function ruleOrganization<O extends MentionOrganization>(resolution: MentionResolution<O>, orgs: readonly O[]): O {
  switch (resolution.kind) {
    case 'member':
      return resolution.match.org;
    case 'ambiguous':
      return resolution.matches[0].org;
    case 'group':
      return resolution.matches[0]?.org ?? orgs[0];
    default:
      return orgs[0];
  }
}
