// The member index built in slices: search and the tree filter find exactly what a plain scan of
// every member finds, through joins, renames and removals; resetInSlices keeps the previous list
// whole and usable until it switches in one step; its sorted groups are the sorted order whatever
// the hint; a cancelled build leaves the previous list as it was; the slice sorts sort.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareMembers, GROUP_ORDER, groupOf, MemberIndex, searchWords } from '../../src/model/memberIndex';
import { mergeSortInSlices, sortNearlySorted } from '../../src/model/sortInSlices';
import { withUserDefaults } from '../../src/zulip/client';
import { Slicer } from '../../src/zulip/slices';
import type { User } from '../../src/zulip/types';

const FIRST = ['Ann', 'Anna', 'Émile', 'Zoë', 'Lee', 'Mar', 'Kim', 'Ali', 'Ben', 'Ossie', '李', 'Ana'];
const LAST = ['Lee', 'Marsh', 'Kimura', 'Sonnen', 'Rossi', 'Andersson', 'Łukasz', 'Benn', 'O’Brien'];
const ROLES = [100, 200, 300, 400, 400, 400, 600] as const;

function seeded(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function makeUsers(count: number, random: () => number, firstId = 1): User[] {
  return Array.from({ length: count }, (_, i) => {
    const first = FIRST[Math.floor(random() * FIRST.length)];
    const last = LAST[Math.floor(random() * LAST.length)];
    const id = firstId + i;
    return withUserDefaults({
      user_id: id,
      full_name: `${first} ${last}`,
      email: random() < 0.3 ? `user${id}@zulip.example` : `${first}.${last}.${id}@Example.com`.toLowerCase(),
      delivery_email: random() < 0.5 ? `${first}${id}@real.example` : null,
      role: ROLES[Math.floor(random() * ROLES.length)],
      is_active: random() > 0.05,
      is_bot: random() < 0.03,
    });
  });
}

/** The plain scan search() must agree with: every word in the name or an address. */
function naiveMatches(user: User, query: string): boolean {
  const text = `${user.full_name}\n${user.delivery_email ?? ''}\n${user.email}`.toLowerCase();
  return searchWords(query).every((w) => text.includes(w));
}

const QUERIES = ['ann', 'an', 'lee', 'ann lee', 'ée', 'zoë', '李', 'example', 'user1', 'xyz', 'o’b', 'real 12'];

function assertSearchAgrees(index: MemberIndex, label: string): void {
  const all = [...index.all()];
  for (const query of QUERIES) {
    const expected = all.filter((u) => naiveMatches(u, query));
    // With no limit in the way, the same members, sorted: prefix matches of the first word first.
    const found = index.search(query, 1_000_000);
    assert.deepEqual(new Set(found.map((u) => u.user_id)), new Set(expected.map((u) => u.user_id)), `${label}: search "${query}"`);
    const first = searchWords(query)[0];
    const prefixCount = expected.filter((u) => u.full_name.toLowerCase().startsWith(first)).length;
    assert.ok(found.slice(0, prefixCount).every((u) => u.full_name.toLowerCase().startsWith(first)), `${label}: prefix matches first for "${query}"`);
    const test = index.matcher(query);
    assert.deepEqual(all.filter(test).map((u) => u.user_id), expected.map((u) => u.user_id), `${label}: tree filter "${query}"`);
    // A limit takes the first matches, never more.
    assert.ok(index.search(query, 7).length <= 7);
  }
}

function sortedIds(users: readonly User[]): number[] {
  return [...users].sort(compareMembers).map((u) => u.user_id);
}

function assertGroupsSorted(index: MemberIndex, label: string): void {
  for (const kind of GROUP_ORDER) {
    const members = [...index.all()].filter((u) => groupOf(u) === kind);
    assert.deepEqual(index.sortedGroup(kind).map((u) => u.user_id), sortedIds(members), `${label}: ${kind} sorted`);
    assert.equal(index.groupCount(kind), members.length, `${label}: ${kind} count`);
  }
}

test('search and the tree filter agree with a plain scan through joins, renames and removals', async () => {
  const random = seeded(11);
  // More than two blocks of search text, so block boundaries are crossed.
  const users = makeUsers(5000, random);
  const index = new MemberIndex();
  await index.resetInSlices(users, new Slicer());
  assertSearchAgrees(index, 'after the load');
  for (let i = 0; i < 300; i++) {
    const roll = random();
    const target = users[Math.floor(random() * users.length)];
    if (roll < 0.3) index.add(makeUsers(1, random, 100_000 + i)[0]);
    else if (roll < 0.6 && index.get(target.user_id)) index.update({ user_id: target.user_id, full_name: `Renamed Ann ${i}` });
    else if (roll < 0.7 && index.get(target.user_id)) index.update({ user_id: target.user_id, delivery_email: `moved${i}@new.example` });
    else if (roll < 0.8 && index.get(target.user_id)) index.update({ user_id: target.user_id, role: 600 });
    else index.remove(target.user_id);
  }
  assertSearchAgrees(index, 'after 300 changes');
  assertGroupsSorted(index, 'after 300 changes');
});

test('resetInSlices keeps the previous list whole until it switches in one step', async () => {
  const random = seeded(5);
  const before = makeUsers(3000, random);
  const index = new MemberIndex();
  index.reset(before);
  const oldVersion = index.version;
  const after = makeUsers(4000, random, 50_000);
  // A tiny budget: the build yields often; look at the index at every yield.
  const slicer = new Slicer(undefined, 0);
  let looks = 0;
  let sawHalf = false;
  const watching = setInterval(() => {
    looks++;
    if (index.size !== before.length && index.size !== after.length) sawHalf = true;
    if (index.size === before.length && (!index.get(before[0].user_id) || index.search('ann', 5).some((u) => u.user_id >= 50_000))) sawHalf = true;
  }, 0);
  const switching = index.resetInSlices(after, slicer);
  // Still the previous list, and usable, while the new one is built.
  assert.equal(index.size, before.length);
  assert.equal(index.get(before[0].user_id), before[0]);
  const change = await switching;
  clearInterval(watching);
  assert.ok(slicer.yields > 10, `the build yielded (${slicer.yields} times)`);
  assert.ok(looks > 0, 'the event loop ran during the build');
  assert.equal(sawHalf, false, 'nobody saw half a list');
  assert.deepEqual(change, { userIds: [], structural: true, reset: true });
  assert.ok(index.version > oldVersion);
  assert.equal(index.size, after.length);
  assert.equal(index.get(before[0].user_id), undefined);
  await index.whenSorted();
  assert.ok(index.sorted, 'a first load sorts its groups in the background');
  assertGroupsSorted(index, 'first load');
  assertSearchAgrees(index, 'first load');

  // A refresh: sorted from the previous order, before the switch, with a few renames and joins.
  const next = after.map((u, i) => (i % 97 === 0 ? { ...u, full_name: `Zed ${u.full_name}` } : u)).concat(makeUsers(50, random, 90_000));
  await index.resetInSlices(next, new Slicer());
  assert.ok(index.sorted, 'a refresh sorts before it switches');
  assertGroupsSorted(index, 'refresh');

  // A list in sorted order (as the disk cache holds it) needs no background sort either.
  const cached = GROUP_ORDER.flatMap((kind) => [...index.sortedGroup(kind)]);
  const restored = new MemberIndex();
  await restored.resetInSlices(cached, new Slicer());
  assert.ok(restored.sorted);
  assertGroupsSorted(restored, 'restored from a sorted list');
});

test('a cancelled build leaves the previous list as it was', async () => {
  const random = seeded(9);
  const before = makeUsers(1000, random);
  const index = new MemberIndex(before);
  const version = index.version;
  const controller = new AbortController();
  const building = index.resetInSlices(makeUsers(20_000, random, 10_000), new Slicer(controller.signal, 0));
  setImmediate(() => controller.abort());
  await assert.rejects(building, (error: Error & { kind?: string }) => error.kind === 'cancelled');
  assert.equal(index.version, version);
  assert.equal(index.size, before.length);
  assert.deepEqual(index.search('ann', 10_000).map((u) => u.user_id).sort(), before.filter((u) => naiveMatches(u, 'ann')).map((u) => u.user_id).sort());
});

test('the slice sorts sort, nearly sorted input or not', async () => {
  const random = seeded(3);
  const values = Array.from({ length: 3000 }, () => Math.floor(random() * 1000));
  const compare = (a: number, b: number) => values[a] - values[b] || a - b;
  const positions = values.map((_, i) => i);
  const expected = [...positions].sort(compare);
  assert.deepEqual(await mergeSortInSlices(positions, compare, new Slicer(undefined, 0)), expected);
  assert.deepEqual(await sortNearlySorted(positions, compare), expected, 'unsorted input');
  const nearly = [...expected];
  for (let k = 0; k < 20; k++) {
    const i = Math.floor(random() * nearly.length);
    const j = Math.floor(random() * nearly.length);
    [nearly[i], nearly[j]] = [nearly[j], nearly[i]];
  }
  assert.deepEqual(await sortNearlySorted(nearly, compare, new Slicer()), expected, 'a few out of place');
  assert.deepEqual(await sortNearlySorted(expected, compare), expected, 'already sorted');
  assert.deepEqual(await mergeSortInSlices([], compare), []);
});
