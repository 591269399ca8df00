// One index of an organization's members, shared by the tree, the profile panel, the palette,
// hovers and completion. Built from GET /users and kept current by realm_user events. A whole new
// list is built aside in slices (resetInSlices) and switched to in one step, so the extension host
// never blocks on 100,000 members and nobody ever sees half a list. Derived views (groups, sorted
// lists, name lookups, search text) are kept current by each change.
import * as l10n from '@vscode/l10n';
import type { Slicer } from '../zulip/slices';
import { Role, type RealmUserUpdatePerson, type User } from '../zulip/types';
import { mergeSortInSlices, sortNearlySorted } from './sortInSlices';

export type MemberGroupKind = 'owners' | 'administrators' | 'moderators' | 'members' | 'guests' | 'bots' | 'deactivated';

export const GROUP_ORDER: readonly MemberGroupKind[] = ['owners', 'administrators', 'moderators', 'members', 'guests', 'bots', 'deactivated'];

/** The Members view's name for a group, in the display language. */
export function groupLabelOf(group: MemberGroupKind): string {
  switch (group) {
    case 'owners':
      return l10n.t('Owners');
    case 'administrators':
      return l10n.t('Administrators');
    case 'moderators':
      return l10n.t('Moderators');
    case 'members':
      return l10n.t('Members');
    case 'guests':
      return l10n.t('Guests');
    case 'bots':
      return l10n.t('Bots');
    case 'deactivated':
      return l10n.t('Deactivated');
  }
}

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

/** Search entries per block of text scanned with one indexOf. */
const SEARCH_BLOCK = 2048;
/** Items handled between two looks at the clock while building in slices. */
const ITEMS_PER_CHECK = 512;

/**
 * Lowercase names and addresses, one entry per member in the order members arrived, for search
 * (see MemberIndex.search). A removed member leaves an empty entry (id -1) so later positions stay.
 * Each block of entries is also joined into one text ("name\ndelivery\nemail\n" per entry) that a
 * single indexOf scans; the newline can never be part of a search word, so no match spans fields.
 */
interface SearchText {
  ids: number[];
  names: string[];
  deliveryEmails: string[];
  emails: string[];
  /** Member id → entry. */
  position: Map<number, number>;
  /** Per block: its joined text, or undefined when an entry changed since it was joined. */
  blocks: (string | undefined)[];
  /** Per block: where each entry starts in the block's text, and the text's length last. */
  starts: (Int32Array | undefined)[];
}

/** What resetInSlices builds aside before switching to it. */
interface Built {
  byId: Map<number, User>;
  groups: Map<MemberGroupKind, User[]>;
  groupPosition: Map<number, number>;
  sorted: Map<MemberGroupKind, User[]>;
  names: Map<string, User[]>;
  emails: Map<string, User>;
  search: SearchText;
}

function emptySearchText(): SearchText {
  return { ids: [], names: [], deliveryEmails: [], emails: [], position: new Map(), blocks: [], starts: [] };
}

/** Joins one block's entries for indexOf, with where each entry starts. */
function joinBlock(text: SearchText, block: number): void {
  const from = block * SEARCH_BLOCK;
  const to = Math.min(from + SEARCH_BLOCK, text.ids.length);
  const parts: string[] = [];
  const starts = new Int32Array(to - from + 1);
  let offset = 0;
  for (let i = from; i < to; i++) {
    starts[i - from] = offset;
    const entry = `${text.names[i]}\n${text.deliveryEmails[i]}\n${text.emails[i]}\n`;
    parts.push(entry);
    offset += entry.length;
  }
  starts[to - from] = offset;
  text.blocks[block] = parts.join('');
  text.starts[block] = starts;
}

/** The entry (within its block) holding text offset `at`: the last start at or before it. */
function entryAt(starts: Int32Array, at: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (starts[mid] <= at) low = mid;
    else high = mid - 1;
  }
  return low;
}

function addToNames(names: Map<string, User[]>, user: User): void {
  const key = user.full_name.toLowerCase();
  const list = names.get(key);
  if (list) list.push(user);
  else names.set(key, [user]);
}

function addToEmails(emails: Map<string, User>, user: User): void {
  emails.set(user.email.toLowerCase(), user);
  if (user.delivery_email) emails.set(user.delivery_email.toLowerCase(), user);
}

export class MemberIndex {
  private byId = new Map<number, User>();
  private groupsCache?: Map<MemberGroupKind, User[]>;
  /** Member id → place in its (unsorted) group array, so a change finds it without a scan. */
  private groupPosition = new Map<number, number>();
  private sortedCache = new Map<MemberGroupKind, User[]>();
  private nameCache?: Map<string, User[]>;
  private emailCache?: Map<string, User>;
  private searchCache?: SearchText;
  private matchCache?: { query: string; version: number; test: (user: User) => boolean };
  /** Sorting groups after a first load, in slices (see resetInSlices). */
  private backgroundSort?: Promise<void>;
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
      this.groupPosition.clear();
      for (const user of this.byId.values()) {
        const list = groups.get(groupOf(user))!;
        this.groupPosition.set(user.user_id, list.length);
        list.push(user);
      }
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
      const compare = positionCompare(group);
      const order = group.map((_, i) => i).sort(compare);
      sorted = order.map((i) => group[i]);
      this.sortedCache.set(kind, sorted);
    }
    return sorted;
  }

  /** Whether every group is sorted already (after a first load they are sorted in the background). */
  get sorted(): boolean {
    return GROUP_ORDER.every((kind) => this.sortedCache.has(kind));
  }

  /** Resolves when the background sort after a first load is over (at once when there is none). */
  whenSorted(): Promise<void> {
    return this.backgroundSort ?? Promise.resolve();
  }

  /** Members whose full name is `name`, compared case-insensitively (Zulip's mention rule). */
  byName(name: string): readonly User[] {
    if (!this.nameCache) {
      const names = new Map<string, User[]>();
      for (const user of this.byId.values()) addToNames(names, user);
      this.nameCache = names;
    }
    return this.nameCache.get(name.toLowerCase()) ?? [];
  }

  /** By API email or real email, case-insensitively. */
  byEmail(email: string): User | undefined {
    if (!this.emailCache) {
      const emails = new Map<string, User>();
      for (const user of this.byId.values()) addToEmails(emails, user);
      this.emailCache = emails;
    }
    return this.emailCache.get(email.trim().toLowerCase());
  }

  /**
   * Members whose name or email contains every word of the query (case-insensitive), name
   * prefixes first, in the order members arrived until `limit` name-prefix matches are found.
   * The longest word is looked for with one indexOf per block of 2,048 entries (native string
   * search), and only the entries it finds are checked further: well under a millisecond per
   * 10,000 members. Entries are built when a whole list arrives and kept current by each change,
   * so no keystroke pays for lower-casing everyone (see BENCHMARKS.md).
   */
  search(query: string, limit = 200, filter?: (user: User) => boolean): User[] {
    const words = searchWords(query);
    const { ids, names } = this.searchText();
    const prefix: User[] = [];
    const rest: User[] = [];
    this.forEachMatch(words, (i) => {
      const user = this.byId.get(ids[i]);
      if (!user || (filter && !filter(user))) return true;
      if (words.length === 0 || names[i].startsWith(words[0])) prefix.push(user);
      else if (rest.length < limit) rest.push(user);
      return prefix.length < limit;
    });
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
    this.forEachMatch(words, (i) => {
      matching.add(ids[i]);
      return true;
    });
    const test = (user: User) => matching.has(user.user_id);
    this.matchCache = { query, version: this.version, test };
    return test;
  }

  /**
   * Calls `visit` with each entry matching every word, in entry order, until it returns false.
   * The longest word is found with indexOf over each block's joined text; only those entries are
   * checked for the other words.
   */
  private forEachMatch(words: readonly string[], visit: (entry: number) => boolean): void {
    const text = this.searchText();
    const { ids, names, deliveryEmails, emails } = text;
    const matches = (i: number): boolean => {
      for (const w of words) {
        if (!names[i].includes(w) && !deliveryEmails[i].includes(w) && !emails[i].includes(w)) return false;
      }
      return true;
    };
    if (words.length === 0) {
      for (let i = 0; i < ids.length; i++) if (ids[i] >= 0 && !visit(i)) return;
      return;
    }
    const needle = words.reduce((a, b) => (b.length > a.length ? b : a));
    for (let block = 0; block * SEARCH_BLOCK < ids.length; block++) {
      if (text.blocks[block] === undefined) joinBlock(text, block);
      const haystack = text.blocks[block]!;
      const starts = text.starts[block]!;
      for (let at = haystack.indexOf(needle); at >= 0; ) {
        const entry = entryAt(starts, at);
        const i = block * SEARCH_BLOCK + entry;
        if (matches(i) && !visit(i)) return;
        at = haystack.indexOf(needle, starts[entry + 1]);
      }
    }
  }

  /** Replaces everything (a refetch), in one go. */
  reset(users: Iterable<User>): MembersChange {
    this.backgroundSort = undefined;
    this.byId = new Map();
    for (const user of users) this.byId.set(user.user_id, user);
    this.invalidate();
    // Built now, while the list loads: more than a frame on a first keystroke otherwise.
    this.searchText();
    return { userIds: [], structural: true, reset: true };
  }

  /**
   * Replaces everything with `users`, built aside in slices that yield to the event loop; the
   * index keeps showing (and changing with) the previous list until the new one is complete,
   * then switches to it in one step and returns the change to announce. Groups are sorted before
   * the switch when the previous sorted order (a refresh) or the input (a cache saved sorted)
   * makes that cheap; a first load sorts them afterwards in the background (whenSorted). The
   * slicer's signal stops the work: nothing is switched, and it throws a `cancelled` error.
   */
  async resetInSlices(users: readonly User[], slicer: Slicer): Promise<MembersChange> {
    const built = await this.build(users, slicer);
    slicer.check();
    this.byId = built.byId;
    this.groupsCache = built.groups;
    this.groupPosition = built.groupPosition;
    this.sortedCache = built.sorted;
    this.nameCache = built.names;
    this.emailCache = built.emails;
    this.searchCache = built.search;
    this.version++;
    this.structureVersion++;
    this.backgroundSort = this.sorted ? undefined : this.sortInBackground(slicer);
    return { userIds: [], structural: true, reset: true };
  }

  private async build(users: readonly User[], slicer: Slicer): Promise<Built> {
    const byId = new Map<number, User>();
    const groups = new Map<MemberGroupKind, User[]>(GROUP_ORDER.map((k) => [k, []]));
    const groupPosition = new Map<number, number>();
    const names = new Map<string, User[]>();
    const emails = new Map<string, User>();
    const search = emptySearchText();
    for (let i = 0; i < users.length; i++) {
      const user = users[i];
      const previous = byId.get(user.user_id);
      byId.set(user.user_id, user);
      if (previous) {
        // The same id twice: the later one wins, as with reset.
        const position = search.position.get(user.user_id)!;
        writeSearchEntry(search, position, user);
        continue;
      }
      search.position.set(user.user_id, search.ids.length);
      writeSearchEntry(search, search.ids.length, user);
      if (i % ITEMS_PER_CHECK === 0) await slicer.pause();
    }
    for (const [, user] of byId) {
      const list = groups.get(groupOf(user))!;
      groupPosition.set(user.user_id, list.length);
      list.push(user);
      addToNames(names, user);
      addToEmails(emails, user);
      if (groupPosition.size % ITEMS_PER_CHECK === 0) await slicer.pause();
    }
    for (let block = 0; block * SEARCH_BLOCK < search.ids.length; block++) {
      joinBlock(search, block);
      await slicer.pause();
    }
    const sorted = new Map<MemberGroupKind, User[]>();
    for (const kind of GROUP_ORDER) {
      const group = groups.get(kind)!;
      const hint = this.sortedCache.get(kind);
      const order = hint ? await orderFromHint(group, hint, slicer) : group.map((_, i) => i);
      const compare = positionCompare(group);
      // Cheap only when the order is nearly right: a refresh (the previous order) or a cache
      // saved sorted. Otherwise (a first load, in id order) this gives up early (undefined).
      const result = await sortIfNearlySorted(order, compare, slicer);
      if (result) sorted.set(kind, result.map((i) => group[i]));
    }
    return { byId, groups, groupPosition, sorted, names, emails, search };
  }

  /** Sorts, in slices, the groups a first load left unsorted; a change meanwhile sorts again (cheaply). */
  private async sortInBackground(slicer: Slicer): Promise<void> {
    const groups = this.groupsCache;
    try {
      for (const kind of [...GROUP_ORDER].sort((a, b) => this.groupCount(b) - this.groupCount(a))) {
        for (;;) {
          if (this.groupsCache !== groups || this.sortedCache.has(kind)) break;
          const startedAt = this.structureVersion;
          const group = [...this.group(kind)];
          const order = await mergeSortInSlices(
            group.map((_, i) => i),
            positionCompare(group),
            slicer,
          );
          if (this.groupsCache !== groups || this.sortedCache.has(kind)) break;
          if (this.structureVersion === startedAt) {
            this.sortedCache.set(kind, order.map((i) => group[i]));
            break;
          }
          // Members changed while sorting: the next round starts from this order, nearly right.
          const hinted = order.map((i) => group[i]);
          const current = [...this.group(kind)];
          const again = await sortNearlySorted(await orderFromHint(current, hinted, slicer), positionCompare(current), slicer);
          if (this.groupsCache !== groups || this.sortedCache.has(kind)) break;
          if (this.structureVersion === startedAt) {
            this.sortedCache.set(kind, again.map((i) => current[i]));
            break;
          }
        }
      }
    } catch {
      // Cancelled (sign-out): whoever asks later sorts on demand.
    }
  }

  add(user: User): MembersChange {
    const previous = this.byId.get(user.user_id);
    if (previous) this.detach(previous);
    this.byId.set(user.user_id, user);
    this.attach(user);
    this.moveInLookups(previous, user);
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
    this.moveInLookups(user, undefined);
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
      this.moveInLookups(current, next);
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
    const i = this.groupPosition.get(user.user_id);
    if (group && i !== undefined && group[i]?.user_id === user.user_id) {
      // Groups are unsorted: the last member takes the removed one's place.
      const last = group.pop()!;
      if (last !== group[i] && i < group.length) {
        group[i] = last;
        this.groupPosition.set(last.user_id, i);
      }
      this.groupPosition.delete(user.user_id);
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
    const group = this.groupsCache?.get(kind);
    if (group) {
      this.groupPosition.set(user.user_id, group.length);
      group.push(user);
    }
    const sorted = this.sortedCache.get(kind);
    if (sorted) sorted.splice(sortedIndex(sorted, user), 0, user);
    this.version++;
  }

  /** Same group, same sort key: swap the object where it stands. */
  private replaceInPlace(current: User, next: User): void {
    const kind = groupOf(next);
    const group = this.groupsCache?.get(kind);
    const i = this.groupPosition.get(current.user_id);
    if (group && i !== undefined && group[i] === current) group[i] = next;
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

  /**
   * Takes a member's old name and addresses out of the lookups and puts the new ones in, so a
   * join or a rename does not make the next hover rebuild them for everyone.
   */
  private moveInLookups(previous: User | undefined, next: User | undefined): void {
    if (previous && this.nameCache) {
      const key = previous.full_name.toLowerCase();
      const named = this.nameCache.get(key)?.filter((u) => u.user_id !== previous.user_id);
      if (named?.length) this.nameCache.set(key, named);
      else this.nameCache.delete(key);
    }
    if (previous && this.emailCache) {
      for (const email of [previous.email, previous.delivery_email]) {
        if (email && this.emailCache.get(email.toLowerCase())?.user_id === previous.user_id) this.emailCache.delete(email.toLowerCase());
      }
    }
    if (next && this.nameCache) addToNames(this.nameCache, next);
    if (next && this.emailCache) addToEmails(this.emailCache, next);
  }

  /** Name and email lookups are rebuilt on their next use. */
  private dropLookups(): void {
    this.nameCache = undefined;
    this.emailCache = undefined;
  }

  /** The search arrays, built on first use if reset did not build them. */
  private searchText(): SearchText {
    if (!this.searchCache) {
      const text = emptySearchText();
      for (const user of this.byId.values()) {
        text.position.set(user.user_id, text.ids.length);
        writeSearchEntry(text, text.ids.length, user);
      }
      for (let block = 0; block * SEARCH_BLOCK < text.ids.length; block++) joinBlock(text, block);
      this.searchCache = text;
    }
    return this.searchCache;
  }

  /**
   * Brings one member's search entry in step with byId: a changed member stays where it is, a new
   * one goes last, a removed one leaves an empty entry. Its block is joined again on next search.
   */
  private syncSearch(userId: number): void {
    const text = this.searchCache;
    if (!text) return;
    const user = this.byId.get(userId);
    let i = text.position.get(userId);
    if (user) {
      if (i === undefined) {
        i = text.ids.length;
        text.position.set(userId, i);
      }
      writeSearchEntry(text, i, user);
    } else if (i !== undefined) {
      text.position.delete(userId);
      text.ids[i] = -1;
      text.names[i] = text.deliveryEmails[i] = text.emails[i] = '';
    }
    if (i !== undefined) text.blocks[Math.floor(i / SEARCH_BLOCK)] = undefined;
  }

  /** Drops every derived view (a reset). */
  private invalidate(): void {
    this.version++;
    this.structureVersion++;
    this.groupsCache = undefined;
    this.groupPosition = new Map();
    this.sortedCache = new Map();
    this.dropLookups();
    this.searchCache = undefined;
  }
}

/** Compares positions in `group` by name, then id (compareMembers over flat arrays). */
function positionCompare(group: readonly User[]): (a: number, b: number) => number {
  const names = group.map((u) => u.full_name);
  const ids = group.map((u) => u.user_id);
  return (a, b) => collator.compare(names[a], names[b]) || ids[a] - ids[b];
}

/**
 * Positions of `group` in the order of `hint` (an earlier sorted list), members not in it last.
 * With a slicer it yields as it goes (100,000 map lookups are tens of milliseconds).
 */
async function orderFromHint(group: readonly User[], hint: readonly User[], slicer?: Slicer): Promise<number[]> {
  const at = new Map<number, number>();
  for (let i = 0; i < group.length; i++) {
    at.set(group[i].user_id, i);
    if (slicer && i % ITEMS_PER_CHECK === 0) await slicer.pause();
  }
  const order: number[] = [];
  for (let k = 0; k < hint.length; k++) {
    const i = at.get(hint[k].user_id);
    if (i !== undefined) {
      order.push(i);
      at.delete(hint[k].user_id);
    }
    if (slicer && k % ITEMS_PER_CHECK === 0) await slicer.pause();
  }
  for (const i of at.values()) order.push(i);
  return order;
}

/** Share of a group allowed out of place for a sort before the switch to stay cheap. */
const NEARLY_SORTED_SHARE = 0.05;

/** Sorts `order` when it is nearly sorted already; undefined (quickly) when it is not. */
async function sortIfNearlySorted(order: number[], compare: (a: number, b: number) => number, slicer: Slicer): Promise<number[] | undefined> {
  let outOfOrder = 0;
  for (let i = 1; i < order.length; i++) {
    if (compare(order[i - 1], order[i]) > 0 && ++outOfOrder > order.length * NEARLY_SORTED_SHARE + 1) return undefined;
    if (i % ITEMS_PER_CHECK === 0) await slicer.pause();
  }
  return outOfOrder === 0 ? order : sortNearlySorted(order, compare, slicer);
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
