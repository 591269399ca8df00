// Which members of an index changed since a table built from it last looked: member objects are
// replaced, never changed, on every update, so one pass comparing references finds them. Pure.
import type { User } from '../zulip/types';
import type { MemberIndex } from './memberIndex';

/**
 * The members of `index` whose object is not the one at their place in `known`, and those added
 * after its end (a member joining is appended), bringing `known` up to date. Undefined when the
 * places no longer line up (a member removed), which `known` is then left as it was for: the
 * caller compares by id.
 */
export function changedInPlace(index: MemberIndex, known: User[]): User[] | undefined {
  if (index.size < known.length) return undefined;
  const changed: User[] = [];
  let i = 0;
  for (const user of index.all()) {
    if (i < known.length) {
      const old = known[i];
      // References first: reading a member's fields would touch 100,000 objects scattered in memory.
      if (old !== user) {
        if (old.user_id !== user.user_id) return undefined;
        changed.push(user);
      }
    } else changed.push(user);
    i++;
  }
  i = 0;
  for (const user of index.all()) known[i++] = user;
  return changed;
}
