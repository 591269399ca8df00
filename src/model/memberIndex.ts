// One index of an organization's members, shared by the tree, the profile panel, the palette,
// hovers and completion. Built once from GET /users and kept current by realm_user events.
// Everything derived (groups, sorted lists, name lookups) is computed on first use and cached
// until the next change, so loading 100,000 members costs little more than parsing them.
import { Role, type RealmUserUpdatePerson, type User } from '../zulip/types';

export type MemberGroupKind = 'owners' | 'administrators' | 'moderators' | 'members' | 'guests' | 'bots' | 'deactivated';

export const GROUP_ORDER: readonly MemberGroupKind[] = ['owners', 'administrators', 'moderators', 'members', 'guests', 'bots', 'deactivated'];

export const GROUP_LABELS: Record<MemberGroupKind, string> = {
  owners: 'Owners',
  administrators: 'Administrators',
  moderators: 'Moderators',
  members: 'Members',
  guests: 'Guests',
  bots: 'Bots',
  deactivated: 'Deactivated',
};

export function groupOf(user: User): MemberGroupKind {
  if (!user.is_active) return 'deactivated';
  if (user.is_bot) return 'bots';
  switch (user.role) {
    case Role.Owner:
      return 'owners';
    case Role.Administrator:
      return 'administrators';
    case Role.Moderator:
      return 'moderators';
    case Role.Guest:
      return 'guests';
    default:
      return 'members';
  }
}

/** What a change touched, so views refresh only that. */
export interface MembersChange {
  /** Ids whose data changed (including added and removed ones). */
  userIds: number[];
  /** Group membership or order may have changed: group nodes need refreshing. */
  structural: boolean;
  /** Everything was replaced (a refetch). */
  reset?: boolean;
  /** The groups whose membership or order changed (old and new group of a moved member). */
  groups?: MemberGroupKind[];
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Locale-aware, case-insensitive, and stable for equal names (by id). */
export function compareMembers(a: User, b: User): number {
  return collator.compare(a.full_name, b.full_name) || a.user_id - b.user_id;
}

/** Where `user` belongs in an array sorted by compareMembers (binary search). */
function sortedIndex(sorted: readonly User[], user: User): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareMembers(sorted[mid], user) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Lowercase names and addresses, in the index's order, for search (see MemberIndex.search). */
interface SearchText {
  ids: number[];
  names: string[];
  deliveryEmails: string[];
  emails: string[];
}

export class MemberIndex {
  private readonly byId = new Map<number, User>();
  private groupsCache?: Map<MemberGroupKind, User[]>;
  private readonly sortedCache = new Map<MemberGroupKind, User[]>();
  private nameCache?: Map<string, User[]>;
  private emailCache?: Map<string, User>;
  private searchCache?: SearchText;
  private matchCache?: { query: string; version: number; test: (user: User) => boolean };
  /** Increases with every change; caches keyed on it elsewhere can tell they are stale. */
  version = 0;
  /** Increases when group membership or order changes (not for avatar, time zone, fields…). */
  structureVersion = 0;

  constructor(users: Iterable<User> = []) {
    for (const user of users) this.byId.set(user.user_id, user);
  }

  get size(): number {
    return this.byId.size;
  }

  get(userId: number): User | undefined {
    return this.byId.get(userId);
  }

  all(): IterableIterator<User> {
    return this.byId.values();
  }

  /**
   * Members of a group, unsorted (computed in one pass for all groups, then kept current by each
   * change). The array is live: read it, don't keep it across changes.
   */
  group(kind: MemberGroupKind): readonly User[] {
    if (!this.groupsCache) {
      const groups = new Map<MemberGroupKind, User[]>(GROUP_ORDER.map((k) => [k, []]));
      for (const user of this.byId.values()) groups.get(groupOf(user))!.push(user);
      this.groupsCache = groups;
    }
    return this.groupsCache.get(kind)!;
  }

  groupCount(kind: MemberGroupKind): number {
    return this.group(kind).length;
  }

  /**
   * A group sorted by name; sorted only when someone looks at it (about 250 ms for 100,000), then
   * kept sorted by each change with a binary search instead of a new sort. Live, like group().
   */
  sortedGroup(kind: MemberGroupKind): readonly User[] {
    let sorted = this.sortedCache.get(kind);
    if (!sorted) {
      // Sorting positions over flat arrays of names and ids: user objects have many fields
      // and differing shapes, and reading them in every comparison doubles the time.
      const group = this.group(kind);
      const names = group.map((u) => u.full_name);
      const ids = group.map((u) => u.user_id);
      const order = group.map((_, i) => i).sort((a, b) => collator.compare(names[a], names[b]) || ids[a] - ids[b]);
      sorted = order.map((i) => group[i]);
      this.sortedCache.set(kind, sorted);
    }
    return sorted;
  }

  /** Members whose full name is `name`, compared case-insensitively (Zulip's mention rule). */
  byName(name: string): readonly User[] {
    if (!this.nameCache) {
      const names = new Map<string, User[]>();
      for (const user of this.byId.values()) {
        const key = user.full_name.toLowerCase();
        const list = names.get(key);
        if (list) list.push(user);
        else names.set(key, [user]);
      }
      this.nameCache = names;
    }
    return this.nameCache.get(name.toLowerCase()) ?? [];
  }

  /** By API email or real email, case-insensitively. */
  byEmail(email: string): User | undefined {
    if (!this.emailCache) {
      const emails = new Map<string, User>();
      for (const user of this.byId.values()) {
        emails.set(user.email.toLowerCase(), user);
        if (user.delivery_email) emails.set(user.delivery_email.toLowerCase(), user);
      }
      this.emailCache = emails;
    }
    return this.emailCache.get(email.trim().toLowerCase());
  }

  /**
   * Members whose name or email contains every word of the query (case-insensitive), name
   * prefixes first. Scans flat arrays of lowercase names and addresses: about a millisecond per
   * 10,000 members. The arrays are built when a whole list arrives (reset) and then kept current
   * by each change, so no keystroke pays for lower-casing everyone (see BENCHMARKS.md).
   */
  search(query: string, limit = 200, filter?: (user: User) => boolean): User[] {
    const words = searchWords(query);
    const { ids, names } = this.searchText();
    const prefix: User[] = [];
    const rest: User[] = [];
    for (let i = 0; i < ids.length && prefix.length < limit; i++) {
      if (!this.entryMatches(i, words)) continue;
      const user = this.byId.get(ids[i])!;
      if (filter && !filter(user)) continue;
      if (words.length === 0 || names[i].startsWith(words[0])) prefix.push(user);
      else if (rest.length < limit) rest.push(user);
    }
    return [...prefix.sort(compareMembers), ...rest.sort(compareMembers)].slice(0, limit);
  }

  /**
   * Whether a member matches a query as search() decides (every word in the name or an address):
   * the Members tree's filter. One scan per query and list version, whatever the number of groups
   * asking.
   */
  matcher(query: string): (user: User) => boolean {
    const cached = this.matchCache;
    if (cached && cached.query === query && cached.version === this.version) return cached.test;
    const words = searchWords(query);
    const { ids } = this.searchText();
    const matching = new Set<number>();
    for (let i = 0; i < ids.length; i++) if (this.entryMatches(i, words)) matching.add(ids[i]);
    const test = (user: User) => matching.has(user.user_id);
    this.matchCache = { query, version: this.version, test };
    return test;
  }

  private entryMatches(i: number, words: readonly string[]): boolean {
    const { names, deliveryEmails, emails } = this.searchCache!;
    for (const w of words) {
      if (!names[i].includes(w) && !deliveryEmails[i].includes(w) && !emails[i].includes(w)) return false;
    }
    return true;
  }

  /** Replaces everything (a refetch). */
  reset(users: Iterable<User>): MembersChange {
    this.byId.clear();
    for (const user of users) this.byId.set(user.user_id, user);
    this.invalidate();
    // Built now, while the list loads: 10-20 ms for 100,000 members, more than a frame on a
    // first keystroke. Names and addresses are lower-cased apart: an address that already is
    // lower-case (most are) comes back as the same string, not a copy.
    this.searchText();
    return { userIds: [], structural: true, reset: true };
  }

  add(user: User): MembersChange {
    const previous = this.byId.get(user.user_id);
    if (previous) this.detach(previous);
    this.byId.set(user.user_id, user);
    this.attach(user);
    this.dropLookups();
    this.syncSearch(user.user_id);
    const groups = [groupOf(user)];
    if (previous && groupOf(previous) !== groups[0]) groups.unshift(groupOf(previous));
    return { userIds: [user.user_id], structural: true, groups };
  }

  remove(userId: number): MembersChange | undefined {
    const user = this.byId.get(userId);
    if (!user) return undefined;
    this.byId.delete(userId);
    this.detach(user);
    this.dropLookups();
    this.syncSearch(userId);
    return { userIds: [userId], structural: true, groups: [groupOf(user)] };
  }

  /** Applies one realm_user update event. Unknown users are ignored (a refetch will bring them). */
  update(person: RealmUserUpdatePerson): MembersChange | undefined {
    const current = this.byId.get(person.user_id);
    if (!current) return undefined;
    const next: User = { ...current };
    if (person.full_name !== undefined) next.full_name = person.full_name;
    if ('avatar_url' in person) {
      next.avatar_url = person.avatar_url ?? null;
      if (person.avatar_version !== undefined) next.avatar_version = person.avatar_version;
    }
    if (person.timezone !== undefined) next.timezone = person.timezone;
    if ('bot_owner_id' in person) next.bot_owner_id = person.bot_owner_id ?? null;
    if (person.role !== undefined) {
      next.role = person.role;
      next.is_owner = person.role === Role.Owner;
      next.is_admin = person.role === Role.Owner || person.role === Role.Administrator;
      next.is_guest = person.role === Role.Guest;
    }
    if ('delivery_email' in person) next.delivery_email = person.delivery_email ?? null;
    if (person.new_email !== undefined) next.email = person.new_email;
    if (person.is_active !== undefined) next.is_active = person.is_active;
    if (person.custom_profile_field) {
      const { id, value, rendered_value } = person.custom_profile_field;
      const data = { ...(next.profile_data ?? {}) };
      if (value === null || value === '') delete data[String(id)];
      else data[String(id)] = rendered_value === undefined ? { value } : { value, rendered_value };
      next.profile_data = data;
    }
    const oldGroup = groupOf(current);
    const newGroup = groupOf(next);
    // Structural: the member's group or its place in the sorted order may change.
    const structural = oldGroup !== newGroup || next.full_name !== current.full_name;
    this.byId.set(next.user_id, next);
    if (structural) {
      this.detach(current);
      this.attach(next);
    } else {
      this.replaceInPlace(current, next);
    }
    if (next.full_name !== current.full_name || next.email !== current.email || next.delivery_email !== current.delivery_email) {
      this.dropLookups();
      this.syncSearch(next.user_id);
    } else this.replaceInLookups(current, next);
    this.version++;
    return { userIds: [next.user_id], structural, groups: oldGroup === newGroup ? [newGroup] : [oldGroup, newGroup] };
  }

  // ---- Keeping the derived views current ----

  /** Takes a member out of the cached group arrays. */
  private detach(user: User): void {
    this.structureVersion++;
    const kind = groupOf(user);
    const group = this.groupsCache?.get(kind);
    if (group) {
      const i = group.indexOf(user);
      if (i >= 0) group.splice(i, 1);
    }
    const sorted = this.sortedCache.get(kind);
    if (sorted) {
      const i = sortedIndex(sorted, user);
      if (sorted[i] === user) sorted.splice(i, 1);
      else this.sortedCache.delete(kind);
    }
    this.version++;
  }

  /** Puts a member into the cached group arrays, in its sorted place. */
  private attach(user: User): void {
    this.structureVersion++;
    const kind = groupOf(user);
    this.groupsCache?.get(kind)?.push(user);
    const sorted = this.sortedCache.get(kind);
    if (sorted) sorted.splice(sortedIndex(sorted, user), 0, user);
    this.version++;
  }

  /** Same group, same sort key: swap the object where it stands. */
  private replaceInPlace(current: User, next: User): void {
    const kind = groupOf(next);
    const group = this.groupsCache?.get(kind);
    if (group) {
      const i = group.indexOf(current);
      if (i >= 0) group[i] = next;
    }
    const sorted = this.sortedCache.get(kind);
    if (sorted) {
      const i = sortedIndex(sorted, current);
      if (sorted[i] === current) sorted[i] = next;
      else this.sortedCache.delete(kind);
    }
  }

  /** The name and email maps hold user objects: point them at the new one. */
  private replaceInLookups(current: User, next: User): void {
    const named = this.nameCache?.get(current.full_name.toLowerCase());
    if (named) {
      const i = named.indexOf(current);
      if (i >= 0) named[i] = next;
    }
    if (this.emailCache) {
      for (const email of [current.email, current.delivery_email]) {
        if (email && this.emailCache.get(email.toLowerCase()) === current) this.emailCache.set(email.toLowerCase(), next);
      }
    }
  }

  /** Name and email lookups are cheap to rebuild on their next use. */
  private dropLookups(): void {
    this.nameCache = undefined;
    this.emailCache = undefined;
  }

  /** The search arrays, built on first use if reset did not build them. */
  private searchText(): SearchText {
    if (!this.searchCache) {
      const size = this.byId.size;
      const text: SearchText = { ids: new Array<number>(size), names: new Array<string>(size), deliveryEmails: new Array<string>(size), emails: new Array<string>(size) };
      let i = 0;
      for (const user of this.byId.values()) writeSearchEntry(text, i++, user);
      this.searchCache = text;
    }
    return this.searchCache;
  }

  /**
   * Brings one member's search entry in step with byId, whose order the arrays follow: a changed
   * member stays where it is (Map.set keeps the place), a new one goes last, a removed one goes.
   */
  private syncSearch(userId: number): void {
    const text = this.searchCache;
    if (!text) return;
    const i = text.ids.indexOf(userId);
    const user = this.byId.get(userId);
    if (user) writeSearchEntry(text, i >= 0 ? i : text.ids.length, user);
    else if (i >= 0) for (const list of [text.ids, text.names, text.deliveryEmails, text.emails]) list.splice(i, 1);
  }

  /** Drops every derived view (a reset). */
  private invalidate(): void {
    this.version++;
    this.structureVersion++;
    this.groupsCache = undefined;
    this.sortedCache.clear();
    this.dropLookups();
    this.searchCache = undefined;
  }
}

/** A query's words, lower-cased: a member matches when each is in its name or an address. */
export function searchWords(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

function writeSearchEntry(text: SearchText, i: number, user: User): void {
  const deliveryEmail = user.delivery_email ? user.delivery_email.toLowerCase() : '';
  const email = user.email.toLowerCase();
  text.ids[i] = user.user_id;
  text.names[i] = user.full_name.toLowerCase();
  text.deliveryEmails[i] = deliveryEmail;
  // Most visible addresses are both: searched once.
  text.emails[i] = email === deliveryEmail ? '' : email;
}
