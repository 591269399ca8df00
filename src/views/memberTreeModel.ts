// The Members tree's structure, without VS Code: which nodes exist, what each contains, and how a
// large group splits into alphabetical sub-groups. Node objects are cached by key so VS Code sees
// the same element across refreshes. Nothing per member is computed until its row is asked for.
import { GROUP_ORDER, groupOf, searchWords, type MemberGroupKind, type MemberIndex } from '../model/memberIndex';
import type { MemberRef } from '../model/memberRef';
import type { OrganizationState } from '../model/organization';
import type { User } from '../zulip/types';

/** A group (or sub-group) with more members than this splits into alphabetical sub-groups. */
export const SPLIT_THRESHOLD = 1000;
/**
 * A level looks further than one more letter while it stays at most this many rows: "Member 0…"
 * … "Member 9…" at once rather than a level per shared letter, so a person is reached in fewer
 * expansions.
 */
const MAX_SUBGROUPS_PER_LEVEL = 50;
/** Beyond this prefix length, members whose names still agree split into numbered ranges. */
const MAX_PREFIX_LENGTH = 40;

/** What the tree needs of an organization (src/model/organization.ts provides it). */
export interface MemberSource {
  readonly id: string;
  readonly name: string;
  readonly members: MemberIndex;
  readonly state: OrganizationState;
}

export type StatusKind =
  /** First load still running. */
  | 'loading'
  /** "Cannot reach SITE: reason" (offline with nothing saved). */
  | 'offline'
  /** Clickable: try again now. */
  | 'retry'
  /** Clickable: the server refused the key. */
  | 'signIn'
  /** The filter matches nobody in this organization. */
  | 'noMatches';

interface NodeBase {
  readonly key: string;
  readonly accountId: string;
}
export interface OrgNode extends NodeBase {
  readonly type: 'org';
}
export interface GroupNode extends NodeBase {
  readonly type: 'group';
  readonly group: MemberGroupKind;
}
export interface BucketNode extends NodeBase {
  readonly type: 'bucket';
  readonly group: MemberGroupKind;
  /** Folded, upper-cased name prefix ("A", "AB"), or a prefix plus a range for identical names. */
  readonly prefix: string;
}
/** A MemberRef too: the member commands take a row as their argument. */
export interface MemberNode extends NodeBase, MemberRef {
  readonly type: 'member';
}
export interface StatusNode extends NodeBase {
  readonly type: 'status';
  readonly status: StatusKind;
}
export type MemberTreeNode = OrgNode | GroupNode | BucketNode | MemberNode | StatusNode;

/** One alphabetical sub-group; its own sub-groups are computed when it is expanded. */
export interface Bucket {
  readonly prefix: string;
  /** What a person reads: "A", "Ab", "Member 0…", or (for identical names) "Ann Lee 1–1000". */
  readonly label: string;
  readonly members: readonly User[];
  /** Prefix length its members agree on. */
  readonly depth: number;
  children?: Bucket[];
}

/** While filtering, groups and sub-groups holding at most this many matches open by themselves. */
export const EXPAND_MATCHES_UP_TO = 200;

/**
 * Whether a group or sub-group row opens by itself: while a filter is on and it holds few enough
 * matches to show at once (a filter matching most of a large organization leaves them closed).
 */
export function expandWhileFiltering(filter: string, matches: number): boolean {
  return filter.length > 0 && matches > 0 && matches <= EXPAND_MATCHES_UP_TO;
}

/**
 * The TreeItem id of a group or sub-group row: VS Code keeps a row's expansion by id, so while
 * filtering the id names the filter, and each new filter's rows take their own state.
 */
export function rowId(key: string, filter: string): string {
  return filter ? `${key}\u0000filter\u0000${filter}` : key;
}

// ---- Folding names into sub-group keys ----

/** The name without accents, upper-cased: "Émile" and "emile" share the sub-group "E". */
export function foldName(user: User): string {
  return user.full_name
    .trim()
    .slice(0, MAX_PREFIX_LENGTH * 2)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLocaleUpperCase();
}

/**
 * The sub-group key of a name at a prefix length. Names not starting with a letter share "#" (and
 * deeper keys starting with "#"); a name shorter than the length ends its key with \u0001, so
 * "Al" under "AL" stays apart from "ALA", "ALB"….
 */
export function prefixKey(folded: string, length: number): string {
  let chars = folded.slice(0, length);
  let count = chars.length;
  // Astral characters (surrogate pairs) count as one.
  if (/[\uD800-\uDFFF]/.test(folded.slice(0, length * 2))) {
    const all = Array.from(folded).slice(0, length);
    chars = all.join('');
    count = all.length;
  }
  const letter = /^\p{L}/u.test(chars);
  if (length === 1 && !letter) return '#';
  const key = letter ? chars : '#' + chars;
  return count < length ? key + '\u0001' : key;
}

/** The mark ending the key of a name shorter than its level's prefix length (see prefixKey). */
const SHORT_NAME_END = new RegExp(`${'\u0001'}$`);

const keyCollator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function compareKeys(a: string, b: string): number {
  if (a.startsWith('#') !== b.startsWith('#')) return a.startsWith('#') ? -1 : 1;
  return keyCollator.compare(a, b);
}

/**
 * "A", "Ab", "#" or "12": the key as a person reads it. A prefix running into a second word ends
 * with "…" ("Member 0…", "Al …"), so a space in it reads as one and a trailing one is not lost.
 */
export function bucketLabel(prefix: string): string {
  if (prefix === '#') return '#';
  const text = prefix.replace(/^#/, '').replace(SHORT_NAME_END, '');
  const chars = Array.from(text);
  const label = (chars[0] ?? '') + chars.slice(1).join('').toLocaleLowerCase();
  return /\s/u.test(label) && !SHORT_NAME_END.test(prefix) ? `${label}\u2026` : label;
}

const SCRIPTS: [string, RegExp][] = [
  ['Latin', /^\p{Script=Latin}/u],
  ['Greek', /^\p{Script=Greek}/u],
  ['Cyrillic', /^\p{Script=Cyrillic}/u],
  ['Armenian', /^\p{Script=Armenian}/u],
  ['Georgian', /^\p{Script=Georgian}/u],
  ['Cherokee', /^\p{Script=Cherokee}/u],
  ['Coptic', /^\p{Script=Coptic}/u],
];

/**
 * Latin "A", Greek "Α" and Cyrillic "А" look the same but are different sub-groups: on a level
 * mixing these alphabets, the non-Latin sub-groups say their script.
 */
function distinguishLookalikes(buckets: Bucket[]): Bucket[] {
  const scriptOf = (label: string) => SCRIPTS.find(([, pattern]) => pattern.test(label))?.[0];
  const scripts = new Set(buckets.map((b) => scriptOf(b.label)).filter((s) => s !== undefined));
  if (scripts.size < 2) return buckets;
  return buckets.map((b) => {
    const script = scriptOf(b.label);
    return script && script !== 'Latin' ? { ...b, label: `${b.label} (${script})` } : b;
  });
}

/**
 * Splits a sorted member list into sub-groups when it is larger than the threshold: by first
 * letter, then (for a letter still too large) by longer prefixes, and, for members whose names
 * agree beyond any useful prefix, into numbered ranges. Only the requested level is computed.
 * Returns undefined when the list is small enough to show as it is.
 */
export function splitMembers(sorted: readonly User[], depth = 0, parentPrefix = '', limit = SPLIT_THRESHOLD): Bucket[] | undefined {
  if (sorted.length <= limit) return undefined;
  const folded = sorted.map(foldName);
  // The level chosen so far: the longest prefix that still helps (its largest sub-group shrank).
  let chosen: { byKey: Map<string, User[]>; length: number; largest: number } | undefined;
  for (let length = depth + 1; length <= MAX_PREFIX_LENGTH; length++) {
    const byKey = new Map<string, User[]>();
    for (let i = 0; i < sorted.length; i++) {
      const user = sorted[i];
      const key = prefixKey(folded[i], length);
      const list = byKey.get(key);
      if (list) list.push(user);
      else byKey.set(key, [user]);
    }
    // A level where everybody shares the key says nothing: look one letter further.
    if (byKey.size === 1) continue;
    const largest = Math.max(...[...byKey.values()].map((list) => list.length));
    // Too many rows, or a letter more splits nothing more: the level before is the one.
    if (chosen && (byKey.size > MAX_SUBGROUPS_PER_LEVEL || largest >= chosen.largest)) break;
    chosen = { byKey, length, largest };
    if (largest <= limit || byKey.size >= MAX_SUBGROUPS_PER_LEVEL) break;
  }
  if (chosen) {
    const { byKey, length } = chosen;
    const buckets = [...byKey.keys()].sort(compareKeys).map((key) => ({ prefix: key, label: bucketLabel(key), members: byKey.get(key)!, depth: length }));
    return distinguishLookalikes(buckets);
  }
  // Names identical as far as prefixes go: ranges of `limit` in sorted order.
  const buckets: Bucket[] = [];
  for (let start = 0; start < sorted.length; start += limit) {
    const end = Math.min(sorted.length, start + limit);
    buckets.push({
      prefix: `${parentPrefix}\u0000${start}`,
      label: `${sorted[start].full_name.trim()} ${start + 1}\u2013${end}`,
      members: sorted.slice(start, end),
      depth: MAX_PREFIX_LENGTH,
    });
  }
  return buckets;
}

/** Sub-groups of a sub-group, computed once. */
export function childBuckets(bucket: Bucket, limit = SPLIT_THRESHOLD): Bucket[] | undefined {
  if (bucket.members.length <= limit || bucket.prefix.includes('\u0000')) return undefined;
  bucket.children ??= splitMembers(bucket.members, bucket.depth, bucket.prefix, limit);
  return bucket.children;
}

// ---- The tree ----

interface GroupView {
  /** The organization's index it was computed from (a new sign-in brings a new one). */
  index: MemberIndex;
  /** The member index's structure version (or full version while filtering: emails matter then). */
  version: number;
  filter: string;
  members: readonly User[];
  buckets?: Bucket[];
  /** Every computed sub-group by prefix, for looking nodes up. */
  byPrefix: Map<string, Bucket>;
}

/**
 * The tree over every signed-in organization. The caller says when data changed (through the
 * organizations' events); this class only answers "what are the children of X" from current data,
 * caching group lists per member-index version and filter.
 */
export class MemberTreeModel {
  private readonly nodes = new Map<string, MemberTreeNode>();
  private readonly views = new Map<string, GroupView>();
  private filterText = '';
  private words: string[] = [];
  showDeactivated = false;

  constructor(private readonly organizations: () => readonly MemberSource[]) {}

  get filter(): string {
    return this.filterText;
  }

  set filter(value: string) {
    this.filterText = value.trim();
    this.words = searchWords(this.filterText);
  }

  source(accountId: string): MemberSource | undefined {
    return this.organizations().find((o) => o.id === accountId);
  }

  // ---- Stable nodes ----

  private node<T extends MemberTreeNode>(key: string, make: () => T): T {
    let node = this.nodes.get(key);
    if (!node) {
      node = make();
      this.nodes.set(key, node);
    }
    return node as T;
  }

  orgNode(accountId: string): OrgNode {
    return this.node(`o\u0000${accountId}`, () => ({ type: 'org', key: `o\u0000${accountId}`, accountId }));
  }

  groupNode(accountId: string, group: MemberGroupKind): GroupNode {
    const key = `g\u0000${accountId}\u0000${group}`;
    return this.node(key, () => ({ type: 'group', key, accountId, group }));
  }

  bucketNode(accountId: string, group: MemberGroupKind, prefix: string): BucketNode {
    const key = `b\u0000${accountId}\u0000${group}\u0000${prefix}`;
    return this.node(key, () => ({ type: 'bucket', key, accountId, group, prefix }));
  }

  memberNode(accountId: string, userId: number): MemberNode {
    const key = `m\u0000${accountId}\u0000${userId}`;
    return this.node(key, () => ({ type: 'member', key, accountId, userId }));
  }

  statusNode(accountId: string, status: StatusKind): StatusNode {
    const key = `s\u0000${accountId}\u0000${status}`;
    return this.node(key, () => ({ type: 'status', key, accountId, status }));
  }

  /** The member's node if the tree ever handed it out (for refreshing just that row). */
  existingMemberNode(accountId: string, userId: number): MemberNode | undefined {
    return this.nodes.get(`m\u0000${accountId}\u0000${userId}`) as MemberNode | undefined;
  }

  /** Forgets an organization that was signed out or replaced. */
  forget(accountId: string): void {
    for (const [key, node] of this.nodes) if (node.accountId === accountId) this.nodes.delete(key);
    for (const key of this.views.keys()) if (key.startsWith(`${accountId}\u0000`)) this.views.delete(key);
  }

  // ---- Children ----

  roots(): OrgNode[] {
    return this.organizations().map((o) => this.orgNode(o.id));
  }

  children(node?: MemberTreeNode): MemberTreeNode[] {
    if (!node) return this.roots();
    const org = this.source(node.accountId);
    if (!org) return [];
    switch (node.type) {
      case 'org':
        return this.orgChildren(org);
      case 'group': {
        const view = this.groupView(org, node.group);
        return view.buckets ? view.buckets.map((b) => this.bucketNode(org.id, node.group, b.prefix)) : view.members.map((u) => this.memberNode(org.id, u.user_id));
      }
      case 'bucket': {
        const bucket = this.bucket(org, node.group, node.prefix);
        if (!bucket) return [];
        const children = this.subBuckets(org, node.group, bucket);
        return children ? children.map((b) => this.bucketNode(org.id, node.group, b.prefix)) : bucket.members.map((u) => this.memberNode(org.id, u.user_id));
      }
      default:
        return [];
    }
  }

  private orgChildren(org: MemberSource): MemberTreeNode[] {
    const state = org.state;
    const rows: MemberTreeNode[] = [];
    switch (state.kind) {
      case 'loading':
        if (org.members.size === 0) return [this.statusNode(org.id, 'loading')];
        break;
      case 'offline':
        return [this.statusNode(org.id, 'offline'), this.statusNode(org.id, 'retry')];
      case 'needsSignIn':
        rows.push(this.statusNode(org.id, 'signIn'));
        break;
      case 'stale':
        rows.push(this.statusNode(org.id, 'retry'));
        break;
    }
    const groups = this.visibleGroups(org);
    if (groups.length === 0 && this.words.length > 0) rows.push(this.statusNode(org.id, 'noMatches'));
    return [...rows, ...groups.map((g) => this.groupNode(org.id, g))];
  }

  /** Groups with (matching) members; Deactivated only when shown. */
  visibleGroups(org: MemberSource): MemberGroupKind[] {
    return GROUP_ORDER.filter((g) => (g !== 'deactivated' || this.showDeactivated) && this.groupCount(org, g) > 0);
  }

  /** How many (matching) members a group has; without a filter this needs no sorting. */
  groupCount(org: MemberSource, group: MemberGroupKind): number {
    if (this.words.length === 0) return org.members.groupCount(group);
    return this.groupView(org, group).members.length;
  }

  /** The members of a group, sorted and filtered, with its sub-groups if it is large. */
  private groupView(org: MemberSource, group: MemberGroupKind): GroupView {
    const key = `${org.id}\u0000${group}`;
    let view = this.views.get(key);
    const words = this.words;
    const version = words.length ? org.members.version : org.members.structureVersion;
    if (!view || view.index !== org.members || view.version !== version || view.filter !== this.filterText) {
      const sorted = org.members.sortedGroup(group);
      // The member index decides who matches, as it does for Find Member.
      const members = words.length ? sorted.filter(org.members.matcher(this.filterText)) : sorted;
      const buckets = splitMembers(members);
      view = { index: org.members, version, filter: this.filterText, members, buckets, byPrefix: new Map((buckets ?? []).map((b) => [b.prefix, b])) };
      this.views.set(key, view);
    }
    return view;
  }

  private subBuckets(org: MemberSource, group: MemberGroupKind, bucket: Bucket): Bucket[] | undefined {
    const children = childBuckets(bucket);
    if (children) {
      const view = this.groupView(org, group);
      for (const child of children) view.byPrefix.set(child.prefix, child);
    }
    return children;
  }

  /** The sub-group a node names, computing the levels above it if needed. */
  bucket(org: MemberSource, group: MemberGroupKind, prefix: string): Bucket | undefined {
    const view = this.groupView(org, group);
    const known = view.byPrefix.get(prefix);
    if (known) return known;
    // Walk down from the top (a node from before a change, or getParent's search).
    let level = view.buckets;
    while (level) {
      const next: Bucket | undefined = level.find((b) => prefix.startsWith(b.prefix));
      if (!next) return undefined;
      if (next.prefix === prefix) return next;
      level = this.subBuckets(org, group, next);
    }
    return undefined;
  }

  // ---- Parents (for reveal) ----

  parent(node: MemberTreeNode): MemberTreeNode | undefined {
    const org = this.source(node.accountId);
    if (!org || node.type === 'org') return undefined;
    if (node.type === 'status' || node.type === 'group') return this.orgNode(org.id);
    if (node.type === 'bucket') {
      const view = this.groupView(org, node.group);
      if (view.buckets?.some((b) => b.prefix === node.prefix)) return this.groupNode(org.id, node.group);
      const parent = [...view.byPrefix.values()].find((b) => b.children?.some((c) => c.prefix === node.prefix));
      return parent ? this.bucketNode(org.id, node.group, parent.prefix) : this.groupNode(org.id, node.group);
    }
    const user = org.members.get(node.userId);
    if (!user) return undefined;
    const group = groupOf(user);
    const view = this.groupView(org, group);
    let level = view.buckets;
    let parent: MemberTreeNode = this.groupNode(org.id, group);
    while (level) {
      const holder: Bucket | undefined = level.find((b) => b.members.some((u) => u.user_id === user.user_id));
      if (!holder) break;
      parent = this.bucketNode(org.id, group, holder.prefix);
      level = this.subBuckets(org, group, holder);
    }
    return parent;
  }
}
