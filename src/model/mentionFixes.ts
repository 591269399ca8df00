// Quick fixes for mention diagnostics: the replacement text and a title for each choice. Also the
// edits that follow a member's rename through a document. Pure: no vscode import; titles quote
// server data through safeName.
import type { User } from '../zulip/types';
import { groupOf, GROUP_LABELS } from './memberIndex';
import { membersNamed } from './memberNames';
import type { DocumentMention } from './mentionDocument';
import { formatGroupMention, formatIdMention } from './mentionParser';
import { foldForSearch, mentionSyntaxFor, rankMembers } from './mentionRanking';
import type { MentionOrganization } from './mentionResolver';
import { safeName, type MentionDiagnostic } from './mentionDiagnostics';

export interface MentionFix {
  title: string;
  /** Replaces the mention (found.line/start to found.endLine/end). */
  replacement: string;
  /** Safe to apply without asking (used by "Fix all"). */
  preferred: boolean;
}

/** How many close members an unknown name offers. */
const CLOSEST = 3;
/** Candidates looked at for closeness, per word of the name. */
const CANDIDATES_PER_WORD = 20;
/** An unknown name this close (edits per character) to one member is fixed by "Fix all". */
const OBVIOUS_TYPO = 0.2;

function describeUser(user: User): string {
  const email = user.delivery_email ?? user.email;
  return `${safeName(user.full_name)} (${safeName(email)}, ${GROUP_LABELS[groupOf(user)]})`;
}

/** The fixes for one diagnostic. */
export function fixesFor(diagnostic: MentionDiagnostic, orgs: readonly MentionOrganization[]): MentionFix[] {
  const { resolution, found } = diagnostic;
  const silent = found.mention.silent;
  switch (diagnostic.code) {
    case 'ambiguous': {
      if (resolution.kind !== 'ambiguous') return [];
      return resolution.matches.map(({ user }) => ({ title: `Mention ${describeUser(user)} with |${user.user_id}`, replacement: formatIdMention(user.full_name, user.user_id, silent), preferred: false }));
    }
    case 'idNameMismatch': {
      if (resolution.kind !== 'member') return [];
      const { user, org } = resolution.match;
      const fixes: MentionFix[] = [{ title: `Keep |${user.user_id}: ${describeUser(user)}`, replacement: formatIdMention(user.full_name, user.user_id, silent), preferred: true }];
      // Or the member the name says, if the name is someone's.
      for (const other of membersNamed(org.members, resolution.nameMismatch ?? '')) {
        if (other.user_id !== user.user_id) fixes.push({ title: `Keep the name: ${describeUser(other)}`, replacement: formatIdMention(other.full_name, other.user_id, silent), preferred: false });
      }
      return fixes;
    }
    case 'unknownId': {
      const name = found.mention.kind === 'user' ? found.mention.name : undefined;
      if (!name) return [];
      return orgs.flatMap((org) => [...membersNamed(org.members, name)]).map((user, _, all) => ({ title: `Use the id of ${describeUser(user)}`, replacement: formatIdMention(user.full_name, user.user_id, silent), preferred: all.length === 1 }));
    }
    case 'unknownName': {
      const name = found.mention.kind === 'user' ? found.mention.name : undefined;
      if (!name || orgs.length === 0) return [];
      const index = orgs[0].members;
      return closestMembers(name, orgs[0]).map(({ user, distance }, i, all) => ({
        title: `Did you mean ${describeUser(user)}?`,
        replacement: mentionSyntaxFor(user, index, { silent }),
        preferred: i === 0 && all.length > 0 && distance <= OBVIOUS_TYPO && (all.length === 1 || all[1].distance > distance),
      }));
    }
    case 'groupCase': {
      if (resolution.kind !== 'group') return [];
      return resolution.matches.map(({ group }, _, all) => ({ title: `Write the group's name as Zulip has it: ${safeName(group.name)}`, replacement: formatGroupMention(group.name, silent), preferred: all.length === 1 }));
    }
    case 'groupRefused':
      return [{ title: 'Make it a silent mention (allowed)', replacement: formatGroupMention(found.mention.text, true), preferred: false }];
    case 'wildcardNamesMember':
      if (diagnostic.outcome.shadowedMember) {
        const user = diagnostic.outcome.shadowedMember;
        return [{ title: `Mention the member ${describeUser(user)} instead`, replacement: formatIdMention(user.full_name, user.user_id, silent), preferred: false }];
      }
      return [];
    default:
      return [];
  }
}

/** Members whose names are closest to `name`: candidates from the ranking, ordered by edit distance. */
export function closestMembers(name: string, org: MentionOrganization): { user: User; distance: number }[] {
  const target = foldForSearch(name);
  const candidates = new Map<number, User>();
  for (const word of [target, ...target.split(/\s+/)].filter(Boolean)) {
    for (const user of rankMembers(word.slice(0, Math.max(1, Math.min(word.length, 3))), org.members, CANDIDATES_PER_WORD)) candidates.set(user.user_id, user);
  }
  return [...candidates.values()]
    .map((user) => ({ user, distance: editDistance(target, foldForSearch(user.full_name)) / Math.max(target.length, 1) }))
    .sort((a, b) => a.distance - b.distance || a.user.user_id - b.user.user_id)
    .slice(0, CLOSEST);
}

/** Levenshtein distance, two rows. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

export interface TextEdit {
  line: number;
  start: number;
  endLine: number;
  end: number;
  newText: string;
}

/** "Fix all Zulip mentions in this file": the preferred fix of each diagnostic that has one. */
export function fixAllEdits(diagnostics: readonly MentionDiagnostic[], orgs: readonly MentionOrganization[]): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const d of diagnostics) {
    const fix = fixesFor(d, orgs).find((f) => f.preferred);
    if (fix) edits.push({ line: d.found.line, start: d.found.start, endLine: d.found.endLine, end: d.found.end, newText: fix.replacement });
  }
  return edits;
}

/**
 * After member `user` was renamed from `oldName`: the mentions of a document that meant them by
 * the old name (`@**Old**` or `@**Old|id**`), rewritten with the new one.
 */
export function renameEdits(mentions: readonly DocumentMention[], user: User, oldName: string, index: MentionOrganization['members']): TextEdit[] {
  const oldLower = oldName.toLowerCase();
  const edits: TextEdit[] = [];
  for (const m of mentions) {
    const mention = m.mention;
    if (mention.kind !== 'user') continue;
    const byId = mention.id === user.user_id && (mention.name === undefined ? false : mention.name === oldName);
    const byName = mention.id === undefined && mention.name !== undefined && mention.name.toLowerCase() === oldLower && membersNamed(index, oldName).length === 0;
    if (!byId && !byName) continue;
    const newText = byId ? formatIdMention(user.full_name, user.user_id, mention.silent) : mentionSyntaxFor(user, index, { silent: mention.silent });
    edits.push({ line: m.line, start: m.start, endLine: m.endLine, end: m.end, newText });
  }
  return edits;
}
