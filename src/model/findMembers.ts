// What "Find Member…" shows for a query: members whose name or email matches, in Zulip's
// typeahead order (rankMembers; an exact id or email first, deactivated members included since
// this is where one looks them up), at most `limit` of them, and whether to offer a server lookup
// (an id or email no cached member has). Bounded work per keystroke whatever the organization's size.
// No vscode import: timed and tested in plain Node.
import type { User } from '../zulip/types';
import { compareMembers, type MemberIndex } from './memberIndex';
import { lookupTargetOf, type LookupTarget } from './memberLookup';
import { rankMembers } from './mentionRanking';

export interface FoundMembers {
  users: User[];
  /** Set when the query is an id or email that no cached member has. */
  lookup?: LookupTarget;
}

export function findMembers(members: MemberIndex, query: string, limit = 200): FoundMembers {
  const text = query.trim();
  // Nothing typed yet: a first page at once, without building the search text for everyone.
  if (text === '') return { users: firstMembers(members, limit) };
  const target = lookupTargetOf(text);
  let exact: User | undefined;
  if (target?.kind === 'id') exact = members.get(target.userId);
  // user{id}@host is the API email of a member whose address is hidden: the email map has it.
  else if (target) exact = members.byEmail(target.email);
  const words = text.replace(/^#(?=\d+$)/, '');
  const ranked = rankMembers(words, members, limit, { includeDeactivated: true });
  // The exact member first, whatever the ranking made of the text (`#26`, a hidden address).
  const users = exact ? [exact, ...ranked.filter((u) => u.user_id !== exact.user_id)].slice(0, limit) : ranked;
  return { users, lookup: target && !exact ? target : undefined };
}

function firstMembers(members: MemberIndex, limit: number): User[] {
  const users: User[] = [];
  for (const user of members.all()) {
    if (users.length >= limit) break;
    users.push(user);
  }
  return users.sort(compareMembers);
}
