// Ranks members for a typed query the way Zulip's typeahead does (web/shared/src/typeahead.ts:
// remove_diacritics, query_matches_string_in_any_order, triage; web/src/typeahead_helper.ts):
// every word of the query must begin a different word of the name (or the query is found in the
// email), and matches rank whole name first, then name prefix, then word prefix, then the rest;
// people before bots. A typed user id or email puts that member first. Also writes the mention
// syntax the web app writes (people.get_mention_syntax).
// Pure: no vscode import. Folded names are computed once per member object and kept in flat
// strings, so a query over 100,000 members is a few indexOf scans (see bench/mentions.ts).
import { entryAt } from '../common/sortedSearch';
import type { User } from '../zulip/types';
import type { Slicer } from '../zulip/slices';
import type { MemberIndex } from './memberIndex';
import { membersNamed } from './memberNames';
import { mergeSortInSlices } from './sortInSlices';
import { changedInPlace } from './memberChanges';
import { CHANNEL_WILDCARDS, TOPIC_WILDCARDS, formatUserMention, isWritableName } from './mentionParser';

export interface RankOptions {
  /** Deactivated members are left out unless asked for. */
  includeDeactivated?: boolean;
  /** Bots rank after people; `false` leaves them out. */
  includeBots?: boolean;
  /** Further members to consider (cross-realm bots). */
  extra?: readonly User[];
}

/** Zulip's remove_diacritics, lower-cased: "Zoë" → "zoe", "Ångström" → "angstrom". */
export function foldForSearch(text: string): string {
  const lower = text.toLowerCase();
  // Most names are ASCII: no normalization to pay for.
  if (ASCII.test(lower)) return lower;
  return lower.normalize('NFKD').replace(MARKS, '').replace(NBSP, ' ');
}
const ASCII = /^[\x20-\x7e]*$/;
const MARKS = /\p{M}/gu;
const NBSP = /\u00a0/g;

const SEPARATOR = '\n';
/** More changed members than this share of the index: build the table again instead of patching it. */
const REBUILD_SHARE = 0.05;

interface Entry {
  user: User;
  /** Folded name, line breaks made spaces (the blob separates entries with one). */
  name: string;
  emails: string;
}

/** Members sorted by folded name, and the same names as one string to scan. */
interface SearchTable {
  version: number;
  byId: Map<number, Entry>;
  /** The members in the index's order: a rename or deactivation is found by comparing references. */
  members: User[];
  order: Entry[];
  /** Built on demand from `order`; undefined after a change. */
  blobs?: { names: string; nameStarts: Int32Array; emails: string; emailStarts: Int32Array };
}

const tables = new WeakMap<MemberIndex, SearchTable>();

function entryOf(user: User): Entry {
  const email = user.email.toLowerCase();
  const real = user.delivery_email?.toLowerCase();
  return { user, name: foldForSearch(user.full_name).replace(/[\r\n]/g, ' '), emails: (real && real !== email ? `${real} ${email}` : email).replace(/[\r\n]/g, ' ') };
}

function compareEntries(a: Entry, b: Entry): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.user.user_id - b.user.user_id;
}

/** Where `entry` is or belongs in `order` (binary search). */
function position(order: readonly Entry[], entry: Entry): number {
  let low = 0;
  let high = order.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareEntries(order[mid], entry) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The table for the index as it is now: patched for a few changed members, rebuilt for many. */
function tableOf(index: MemberIndex): SearchTable {
  const table = tables.get(index);
  if (table && table.version === index.version) return table;
  if (table) {
    const changed = changedMembers(index, table);
    const removed = table.byId.size + changed.filter((u) => !table.byId.has(u.user_id)).length - index.size;
    if (changed.length + removed <= Math.max(1, index.size * REBUILD_SHARE)) {
      const gone = removed > 0 ? [...table.byId.keys()].filter((id) => !index.get(id)) : [];
      for (const id of [...changed.map((u) => u.user_id), ...gone]) {
        const old = table.byId.get(id);
        if (!old) continue;
        const at = position(table.order, old);
        if (table.order[at] !== old) {
          table.blobs = undefined;
          continue;
        }
        table.order.splice(at, 1);
        if (table.blobs) table.blobs = spliceBlobs(table.blobs, at, old, undefined);
        table.byId.delete(id);
      }
      for (const user of changed) {
        const entry = entryOf(user);
        table.byId.set(user.user_id, entry);
        const at = position(table.order, entry);
        table.order.splice(at, 0, entry);
        if (table.blobs) table.blobs = spliceBlobs(table.blobs, at, undefined, entry);
      }
      table.version = index.version;
      return table;
    }
  }
  const byId = new Map<number, Entry>();
  for (const user of index.all()) byId.set(user.user_id, entryOf(user));
  const fresh: SearchTable = { version: index.version, byId, members: [...index.all()], order: [...byId.values()].sort(compareEntries) };
  tables.set(index, fresh);
  return fresh;
}

/** Items handled between two looks at the clock. */
const ITEMS_PER_CHECK = 512;

/** blobsOf's joined text of one field, built a slice at a time: the same text and starts. */
async function joinInSlices(order: readonly Entry[], field: (entry: Entry) => string, slicer: Slicer): Promise<{ text: string; starts: Int32Array }> {
  const starts = new Int32Array(order.length);
  const chunks: string[] = [];
  let chunk: string[] = [];
  let offset = 1;
  for (let i = 0; i < order.length; i++) {
    const part = field(order[i]);
    starts[i] = offset;
    offset += part.length + 1;
    chunk.push(part);
    if (chunk.length === ITEMS_PER_CHECK) {
      chunks.push(chunk.join(SEPARATOR));
      chunk = [];
      await slicer.pause();
    }
  }
  if (chunk.length) chunks.push(chunk.join(SEPARATOR));
  return { text: SEPARATOR + chunks.join(SEPARATOR), starts };
}

/**
 * Builds the ranking table of `index` in slices, after a load: at 100,000 members folding every
 * name, sorting and joining them takes a few hundred milliseconds, which the first keystroke of
 * Find Member or completion would otherwise spend in one block. Members changed meanwhile are
 * patched in by the next search, as after any change. Throws when the slicer is cancelled.
 */
export async function prepareRanking(index: MemberIndex, slicer: Slicer): Promise<void> {
  const known = tables.get(index);
  if (known && known.version === index.version) return;
  const version = index.version;
  const members = [...index.all()];
  const entries = new Array<Entry>(members.length);
  for (let i = 0; i < members.length; i++) {
    entries[i] = entryOf(members[i]);
    if (i % ITEMS_PER_CHECK === 0) await slicer.pause();
  }
  const sorted = await mergeSortInSlices(
    entries.map((_, i) => i),
    (a, b) => compareEntries(entries[a], entries[b]),
    slicer,
  );
  const byId = new Map<number, Entry>();
  for (let i = 0; i < entries.length; i++) {
    byId.set(entries[i].user.user_id, entries[i]);
    if (i % ITEMS_PER_CHECK === 0) await slicer.pause();
  }
  const order = sorted.map((i) => entries[i]);
  const names = await joinInSlices(order, (e) => e.name, slicer);
  const emails = await joinInSlices(order, (e) => e.emails, slicer);
  const table: SearchTable = { version, byId, members, order, blobs: { names: names.text, nameStarts: names.starts, emails: emails.text, emailStarts: emails.starts } };
  // A search meanwhile built a table of its own: keep the newer one.
  const current = tables.get(index);
  if (!current || current.version < version) tables.set(index, table);
}

/** Members whose object changed: in one pass by reference when the members are the same, else by id. */
function changedMembers(index: MemberIndex, table: SearchTable): User[] {
  const inPlace = changedInPlace(index, table.members);
  if (inPlace) return inPlace;
  const changed: User[] = [];
  for (const user of index.all()) if (table.byId.get(user.user_id)?.user !== user) changed.push(user);
  table.members = [...index.all()];
  return changed;
}

function blobsOf(table: SearchTable): NonNullable<SearchTable['blobs']> {
  if (!table.blobs) {
    const join = (parts: string[]) => {
      const starts = new Int32Array(parts.length);
      let offset = 1;
      for (let i = 0; i < parts.length; i++) {
        starts[i] = offset;
        offset += parts[i].length + 1;
      }
      return { text: SEPARATOR + parts.join(SEPARATOR), starts };
    };
    const names = join(table.order.map((e) => e.name));
    const emails = join(table.order.map((e) => e.emails));
    table.blobs = { names: names.text, nameStarts: names.starts, emails: emails.text, emailStarts: emails.starts };
  }
  return table.blobs;
}

type Blobs = NonNullable<SearchTable['blobs']>;

/**
 * Takes the entry at `at` out of the scan strings, or puts one in: a string edit and a shift of
 * the start offsets, instead of joining 100,000 names again.
 */
function spliceBlobs(blobs: Blobs, at: number, removed: Entry | undefined, added: Entry | undefined): Blobs {
  const one = (text: string, starts: Int32Array, oldPart: string | undefined, newPart: string | undefined) => {
    const pos = at < starts.length ? starts[at] - 1 : text.length;
    const cut = oldPart === undefined ? 0 : oldPart.length + 1;
    const put = newPart === undefined ? '' : SEPARATOR + newPart;
    const next = new Int32Array(starts.length + (newPart === undefined ? 0 : 1) - (oldPart === undefined ? 0 : 1));
    next.set(starts.subarray(0, at));
    let k = at;
    if (newPart !== undefined) next[k++] = pos + 1;
    const shift = put.length - cut;
    for (let i = at + (oldPart === undefined ? 0 : 1); i < starts.length; i++) next[k++] = starts[i] + shift;
    return { text: text.slice(0, pos) + put + text.slice(pos + cut), starts: next };
  };
  const names = one(blobs.names, blobs.nameStarts, removed?.name, added?.name);
  const emails = one(blobs.emails, blobs.emailStarts, removed?.emails, added?.emails);
  return { names: names.text, nameStarts: names.starts, emails: emails.text, emailStarts: emails.starts };
}


/** query_matches_string_in_any_order: each query word begins a different word of the name. */
function wordsMatchInAnyOrder(queryWords: readonly string[], name: string): boolean {
  // Cheap first: each query word must begin some word.
  const spaced = ' ' + name;
  for (const q of queryWords) if (!spaced.includes(' ' + q)) return false;
  const words = name.split(' ').filter(Boolean).sort();
  if (queryWords.length > words.length) return false;
  for (const q of [...queryWords].sort().reverse()) {
    let found = -1;
    for (let i = words.length - 1; i >= 0; i--) {
      if (words[i].startsWith(q)) {
        found = i;
        break;
      }
    }
    if (found < 0) return false;
    words.splice(found, 1);
  }
  return true;
}

/**
 * Members matching `query`, best first, at most `limit`. Shared by completion and Find Member:
 * (query, index, limit, options) → ordered users. Zulip's triage order: whole name, name
 * prefix, word prefix, the other matches, email matches; in each, people before bots, then by
 * folded name.
 */
export function rankMembers(query: string, index: MemberIndex, limit: number, options: RankOptions = {}): User[] {
  const table = tableOf(index);
  const q = foldForSearch(query).trim().replace(/\s+/g, ' ');
  const extra = options.extra ?? [];
  const wanted = (u: User) => (options.includeDeactivated || u.is_active) && (options.includeBots !== false || !u.is_bot);
  const result: User[] = [];
  const taken = new Set<number>();
  // A typed id or email names one member: that member comes first.
  const named = /^\d+$/.test(q)
    ? (index.get(Number(q)) ?? extra.find((u) => u.user_id === Number(q)))
    : q.includes('@')
      ? (index.byEmail(q) ?? extra.find((u) => u.email.toLowerCase() === q || u.delivery_email?.toLowerCase() === q))
      : undefined;
  if (named && wanted(named)) {
    result.push(named);
    taken.add(named.user_id);
  }
  let people = result.length;
  /** One bucket, fed in name order; bots wait for the end of the bucket. Returns false when full. */
  const bucket = (feed: (take: (user: User) => boolean) => void) => {
    const bots: User[] = [];
    feed((user) => {
      if (taken.has(user.user_id) || !wanted(user)) return people < limit;
      taken.add(user.user_id);
      if (user.is_bot) bots.push(user);
      else {
        result.push(user);
        people++;
      }
      return people < limit;
    });
    result.push(...bots);
  };
  const extraEntries = extra.map(entryOf).sort(compareEntries);
  const sources = [table.order, extraEntries];

  if (q === '') {
    for (const order of sources) bucket((take) => { for (const e of order) if (!take(e.user)) return; });
    return result.slice(0, limit);
  }
  // Whole name, then name prefix: one range of the sorted names.
  bucket((take) => {
    for (const order of sources) {
      for (let i = position(order, { name: q, user: { user_id: -Infinity } as User, emails: '' }); i < order.length && order[i].name.startsWith(q); i++) if (!take(order[i].user)) return;
    }
  });
  const words = q.split(' ');
  // Word prefix: the query at a word start, in name order.
  if (people < limit) bucket((take) => scanNames(table, extraEntries, ' ' + q, (e) => take(e.user)));
  // The other any-order matches ("lee ann" for "Ann Lee").
  if (people < limit && words.length > 1) {
    const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
    bucket((take) => {
      for (const boundary of [SEPARATOR, ' ']) {
        const done = !scanNames(table, extraEntries, boundary + longest, (e) => (wordsMatchInAnyOrder(words, e.name) ? take(e.user) : true));
        if (done) return;
      }
    });
  }
  // Emails: query_matches_string_in_order, anywhere, for a one-word query.
  if (people < limit && words.length === 1) {
    bucket((take) => {
      const { emails, emailStarts } = blobsOf(table);
      for (let at = emails.indexOf(q); at >= 0; at = emails.indexOf(q, at + 1)) if (!take(table.order[entryAt(emailStarts, at)].user)) return;
      for (const e of extraEntries) if (e.emails.includes(q) && !take(e.user)) return;
    });
  }
  return result.slice(0, limit);
}

/** Calls `visit` for each entry whose name contains `needle` (in name order) until it returns false. */
function scanNames(table: SearchTable, extra: readonly Entry[], needle: string, visit: (e: Entry) => boolean): boolean {
  const { names, nameStarts } = blobsOf(table);
  let last = -1;
  for (let at = names.indexOf(needle); at >= 0; at = names.indexOf(needle, at + 1)) {
    const i = entryAt(nameStarts, at + 1);
    if (i === last) continue;
    last = i;
    if (!visit(table.order[i])) return false;
  }
  for (const e of extra) if ((SEPARATOR + e.name).includes(needle) && !visit(e)) return false;
  return true;
}

export interface MentionSyntaxOptions {
  silent?: boolean;
  /** The `zulip.completion.alwaysIncludeId` setting. */
  alwaysIncludeId?: boolean;
}

const WILDCARD_NAMES = new Set<string>([...CHANNEL_WILDCARDS, ...TOPIC_WILDCARDS]);

/**
 * The mention the web app writes for `user` (people.get_mention_syntax): `@**Name**`, with
 * `|id` when the name is shared (Zulip compares names case-insensitively) or is a wildcard's.
 * A name Zulip could not read back (with `*`, or ending in `|digits`, or a line break) gets the
 * form that always works.
 */
export function mentionSyntaxFor(user: User, index: MemberIndex, options: MentionSyntaxOptions = {}): string {
  const name = user.full_name;
  if (!isWritableName(name)) return formatUserMention('', user.user_id, options.silent);
  const shared = membersNamed(index, name).some((u) => u.user_id !== user.user_id);
  // A name ending in |digits would be read as name|id.
  const needsId = options.alwaysIncludeId || shared || WILDCARD_NAMES.has(name) || /\|\p{Nd}+$/u.test(name);
  return formatUserMention(name, needsId ? user.user_id : undefined, options.silent);
}
