// What Zulip's server does with a resolved mention when the text is sent as a message: what it
// shows (a mention, a silent mention, or the text as typed) and whom it notifies. Follows
// UserMentionPattern and UserGroupMentionPattern (zerver/lib/markdown/__init__.py), MentionData
// (zerver/lib/mention.py) and BlockQuoteProcessor.clean (quotes silence every mention).
// Where the outcome depends on what the extension cannot see, `serverDecides` says so.
// Pure: no vscode import.
import { groupDisplayName, mayMentionGroup } from './userGroups';
import type { User, UserGroup } from '../zulip/types';
import { membersNamed } from './memberNames';
import type { DocumentMention } from './mentionDocument';
import type { MentionOrganization, MentionResolution } from './mentionResolver';

export type OutcomeReason =
  /** `@_**…**` or `@_*…*`. */
  | 'silentSyntax'
  /** Inside a `>` quote or a ```quote fence. */
  | 'quoted'
  | 'deactivatedMember'
  | 'deactivatedGroup'
  /** No member by that name: Zulip shows `@**Name**` as bold text. */
  | 'unknownName'
  /** No member with that id. */
  | 'unknownId'
  /** `@**Name|id**` where the name is not that member's, exactly. */
  | 'idNameMismatch'
  | 'unknownGroup'
  /** A group named so only in another capitalization (Zulip's lookup is exact). */
  | 'groupCase'
  | 'noOrganization'
  /** The organization's groups are not loaded: unknown whether the group exists. */
  | 'groupsUnloaded';

export type ServerDecides =
  /** Several members share the name: Zulip's lookup keeps one of them, in an order it does not promise. */
  | 'whichOfSameName'
  /** The group's can_mention_group is not known here. */
  | 'canMentionGroup'
  /** Wildcards in large channels or topics depend on can_mention_many_users_group and the channel's size. */
  | 'wildcardPolicy';

export interface MentionOutcome {
  /** What the message shows: a mention (`@Name`), a silent mention (`Name`), or the text as typed. */
  display: 'mention' | 'silent' | 'text';
  /** Whom it notifies. */
  notifies: 'member' | 'group' | 'channel' | 'topic' | 'nobody';
  /** Why it shows silent or as text (first cause). */
  because?: OutcomeReason;
  serverDecides?: ServerDecides;
  /** The name the message shows: the member's or group's current one, not what was typed. */
  shownName?: string;
  /** Sending it would be refused: the group's can_mention_group leaves you out (silent mentions are allowed). */
  refused?: boolean;
  /** A member is named like this wildcard: `@**Name|id**` is how to mention them. */
  shadowedMember?: User;
}

export interface OutcomeContext {
  /** The signed-in user, for can_mention_group. */
  selfUserId?: number;
  /** The organization's groups (for can_mention_group given as a group id). */
  groups?: readonly UserGroup[];
  /** Members of the organization, to spot a member named like a wildcard. */
  org?: MentionOrganization;
}

/**
 * The outcome of a mention found at `where` resolved as `resolution`. In a document that is not
 * Markdown, the mention is taken as written (a quote or code there is not Zulip's); the document
 * mention's `asMarkdown` says how sending the text as a message would differ.
 */
export function mentionOutcome(resolution: MentionResolution, where: Pick<DocumentMention, 'quoted'>, context: OutcomeContext = {}): MentionOutcome {
  const base = baseOutcome(resolution, context);
  if (base.display === 'text') return base;
  const quoted = where.quoted;
  if (base.display === 'mention' && (quoted || resolution.mention.silent)) {
    // A silent mention of a group is always allowed; so is a quoted one (clean() makes it silent).
    // Spelled out rather than spread: this runs for every quoted mention of a document.
    const silent: MentionOutcome = { display: 'silent', notifies: 'nobody', because: quoted ? 'quoted' : 'silentSyntax' };
    if (base.shownName !== undefined) silent.shownName = base.shownName;
    if (base.shadowedMember) silent.shadowedMember = base.shadowedMember;
    if (base.serverDecides === 'whichOfSameName') silent.serverDecides = base.serverDecides;
    return silent;
  }
  return base;
}

function baseOutcome(resolution: MentionResolution, context: OutcomeContext): MentionOutcome {
  switch (resolution.kind) {
    case 'noOrganization':
      return { display: 'text', notifies: 'nobody', because: 'noOrganization' };
    case 'wildcard': {
      const { wildcard, scope } = resolution.mention;
      const shadowedMember = (context.org ? membersNamed(context.org.members, wildcard) : []).find((u) => u.is_active);
      return { display: 'mention', notifies: scope, shownName: wildcard, serverDecides: 'wildcardPolicy', ...(shadowedMember ? { shadowedMember } : {}) };
    }
    case 'unknown':
      return { display: 'text', notifies: 'nobody', because: resolution.mention.id === undefined ? 'unknownName' : 'unknownId' };
    case 'member': {
      const { user } = resolution.match;
      if (resolution.nameMismatch !== undefined) return { display: 'text', notifies: 'nobody', because: 'idNameMismatch' };
      if (!user.is_active) return { display: 'silent', notifies: 'nobody', because: 'deactivatedMember', shownName: user.full_name };
      return { display: 'mention', notifies: 'member', shownName: user.full_name };
    }
    case 'ambiguous': {
      // MentionData keys members by lower-cased name: one of them wins. Silent if that one is deactivated.
      const allInactive = resolution.matches.every((m) => !m.user.is_active);
      if (allInactive) return { display: 'silent', notifies: 'nobody', because: 'deactivatedMember', serverDecides: 'whichOfSameName', shownName: resolution.matches[0].user.full_name };
      return { display: 'mention', notifies: 'member', serverDecides: 'whichOfSameName', shownName: resolution.matches[0].user.full_name };
    }
    case 'group': {
      const exact = resolution.matches.find((m) => !m.caseDiffers);
      if (!exact) {
        if (resolution.matches.length) return { display: 'text', notifies: 'nobody', because: 'groupCase' };
        return { display: 'text', notifies: 'nobody', because: resolution.unloaded.length ? 'groupsUnloaded' : 'unknownGroup' };
      }
      const { group } = exact;
      const shownName = groupDisplayName(group);
      if (group.deactivated) return { display: 'silent', notifies: 'nobody', because: 'deactivatedGroup', shownName };
      const byId = new Map((context.groups ?? []).map((g) => [g.id, g]));
      const allowed = mayMentionGroup(group, context.selfUserId, (id) => byId.get(id));
      if (allowed === undefined) return { display: 'mention', notifies: 'group', shownName, serverDecides: 'canMentionGroup' };
      return { display: 'mention', notifies: 'group', shownName, ...(allowed ? {} : { refused: true }) };
    }
  }
}
