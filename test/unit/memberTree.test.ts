// The Members tree's structure at the scale of a very large organization: grouping by role,
// locale-aware sorting, alphabetical sub-groups, filtering, stable nodes, and live changes kept
// incrementally by the member index. Users are generated here (seeded) so the test needs no server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareMembers, GROUP_ORDER, groupOf, MemberIndex, type MemberGroupKind } from '../../src/model/memberIndex';
import type { OrganizationState } from '../../src/model/organization';
import { withUserDefaults } from '../../src/zulip/client';
import type { User } from '../../src/zulip/types';
import { bucketLabel, childBuckets, EXPAND_MATCHES_UP_TO, expandWhileFiltering, rowId, MemberTreeModel, prefixKey, splitMembers, SPLIT_THRESHOLD, type Bucket, type MemberSource, type MemberTreeNode } from '../../src/views/memberTreeModel';

const FIRST = ['Anna', 'Émile', 'bob', 'Zoë', 'Ōta', '李', 'Mohammed', 'Ana', 'Álvaro', 'john', 'Li', 'Øystein', 'Ülrich', 'zack', 'Chris', 'Dana', 'Mary', 'Maria', 'Marek', '42', "O'Neil", 'Åsa', 'Sven', 'Ngozi', 'Priya'];
const LAST = ['Smith', 'Müller', 'García', 'Nguyễn', 'Ivanov', "O'Brien", 'de la Cruz', 'van Dijk', 'Kim', 'Lee', 'Okafor', 'Sato'];

/** A deterministic generator, so failures reproduce. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function generateUsers(count: number, seed = 1): User[] {
  const next = random(seed);
  const users: User[] = [];
  for (let i = 1; i <= count; i++) {
    const r = next();
    const role = r < 0.0005 ? 100 : r < 0.002 ? 200 : r < 0.005 ? 300 : r < 0.05 ? 600 : 400;
    const isBot = next() < 0.003;
    users.push(
      withUserDefaults({
        user_id: i,
        full_name: `${FIRST[Math.floor(next() * FIRST.length)]} ${LAST[Math.floor(next() * LAST.length)]} ${Math.floor(next() * 1000)}`,
        email: `user${i}@example.com`,
        delivery_email: next() < 0.5 ? `person${i}@example.com` : null,
        role,
        is_bot: isBot,
        bot_type: isBot ? 1 : null,
        bot_owner_id: isBot ? 1 : null,
        is_active: next() > 0.02,
        timezone: 'Europe/Berlin',
      }),
    );
  }
  return users;
}

function source(users: User[], state: OrganizationState = { kind: 'ready' }, id = 'https://chat.example.com|me@example.com'): MemberSource & { state: OrganizationState } {
  return { id, name: 'Example', members: new MemberIndex(users), state };
}

/** Every member under a node, expanding sub-groups, in tree order. */
function leaves(model: MemberTreeModel, node: MemberTreeNode, check?: (node: MemberTreeNode, children: MemberTreeNode[]) => void): number[] {
  const children = model.children(node);
  check?.(node, children);
  const ids: number[] = [];
  for (const child of children) {
    if (child.type === 'member') ids.push(child.userId);
    else ids.push(...leaves(model, child, check));
  }
  return ids;
}

test('100,000 members are reached within three levels of sub-groups, none wider than 50 rows', () => {
  const members = generateUsers(100_000).sort(compareMembers);
  const sequential = Array.from({ length: 100_000 }, (_, i) => withUserDefaults({ user_id: i + 1, full_name: `Member ${String(i).padStart(5, '0')}`, email: `m${i}@x.com` }));
  for (const users of [members, sequential]) {
    let deepest = 0;
    const walk = (level: Bucket[], depth: number) => {
      assert.ok(level.length <= 50, `${level.length} rows on one level`);
      for (const bucket of level) {
        const children = childBuckets(bucket);
        if (children) walk(children, depth + 1);
        else {
          deepest = Math.max(deepest, depth);
          assert.ok(bucket.members.length <= SPLIT_THRESHOLD);
        }
      }
    };
    walk(splitMembers(users)!, 1);
    assert.ok(deepest <= 3, `${deepest} levels of sub-groups`);
  }
});

test('100,000 members: root and group rows are fast, big groups split, every member appears once in sorted order', () => {
  const users = generateUsers(100_000);
  const org = source(users);
  const model = new MemberTreeModel(() => [org]);

  let started = performance.now();
  const [root] = model.children();
  const groups = model.children(root);
  const rootMs = performance.now() - started;
  assert.equal(root.type, 'org');
  assert.deepEqual(
    groups.map((g) => (g.type === 'group' ? g.group : g.type)),
    GROUP_ORDER.filter((g) => g !== 'deactivated' && users.some((u) => groupOf(u) === g)),
  );
  for (const g of groups) {
    assert.ok(g.type === 'group');
    assert.equal(model.groupCount(org, g.group), users.filter((u) => groupOf(u) === g.group).length);
  }

  const membersGroup = groups.find((g) => g.type === 'group' && g.group === 'members')!;
  started = performance.now();
  const letters = model.children(membersGroup);
  const expandMs = performance.now() - started;
  assert.ok(letters.every((n) => n.type === 'bucket'), 'a group of ~90,000 splits into sub-groups');
  started = performance.now();
  // The top level reads as far as the names differ within 50 rows: "Ma", "Mo"… here.
  const deeper = model.children(letters.find((n) => n.type === 'bucket' && n.prefix === 'MA'));
  const letterMs = performance.now() - started;
  assert.ok(deeper.length > 1);

  const expected = users.filter((u) => groupOf(u) === 'members').sort(compareMembers).map((u) => u.user_id);
  const seen = leaves(model, membersGroup, (node, children) => {
    if (children.some((c) => c.type === 'member')) assert.ok(children.length <= SPLIT_THRESHOLD, `${node.key} shows ${children.length} rows`);
  });
  assert.deepEqual(seen, expected, 'sub-groups keep the locale-aware order and lose nobody');

  console.log(`100,000 members: root+groups ${rootMs.toFixed(1)} ms, expand Members (sort ${expected.length} + split) ${expandMs.toFixed(1)} ms, expand "M" ${letterMs.toFixed(1)} ms`);
  assert.ok(rootMs < 2000, `root children took ${rootMs} ms`);
  assert.ok(expandMs < 5000, `expanding took ${expandMs} ms`);
});

test('nodes are stable objects, so VS Code keeps expansion and selection', () => {
  const org = source(generateUsers(2000, 2));
  const model = new MemberTreeModel(() => [org]);
  const [root] = model.children();
  assert.equal(model.children()[0], root);
  const first = model.children(root);
  assert.deepEqual(model.children(root), first);
  assert.equal(model.children(root)[0], first[0]);
  const members = first.find((n) => n.type === 'group' && n.group === 'members')!;
  const a = model.children(members);
  const b = model.children(members);
  a.forEach((node, i) => assert.equal(node, b[i]));
});

test('sorting is case-insensitive and locale-aware; equal names stay distinct by id', () => {
  const users = ['bob', 'Álvaro', 'alice', 'Bob', 'Zoë', 'zack', 'émile', 'Eve'].map((full_name, i) => withUserDefaults({ user_id: 10 - i, full_name, email: `u${i}@x.com` }));
  const org = source(users);
  const model = new MemberTreeModel(() => [org]);
  const group = model.groupNode(org.id, 'members');
  const names = model.children(group).map((n) => org.members.get((n as { userId: number }).userId)!.full_name);
  assert.deepEqual(names, ['alice', 'Álvaro', 'Bob', 'bob', 'émile', 'Eve', 'zack', 'Zoë']);
  const bobs = model.children(group).filter((n) => org.members.get((n as { userId: number }).userId)!.full_name.toLowerCase() === 'bob');
  assert.equal(bobs.length, 2);
  assert.notEqual(bobs[0], bobs[1]);
});

test('sub-groups: first letter, then longer prefixes for a letter still too big, then ranges for identical names', () => {
  const users: User[] = [];
  let id = 1;
  for (let i = 0; i < 1400; i++) users.push(withUserDefaults({ user_id: id++, full_name: `Maria ${i}`, email: `m${id}@x.com` }));
  for (let i = 0; i < 800; i++) users.push(withUserDefaults({ user_id: id++, full_name: `Mark ${i}`, email: `m${id}@x.com` }));
  for (let i = 0; i < 2400; i++) users.push(withUserDefaults({ user_id: id++, full_name: 'Ann Lee', email: `m${id}@x.com` }));
  for (let i = 0; i < 30; i++) users.push(withUserDefaults({ user_id: id++, full_name: `${i} Numbers`, email: `m${id}@x.com` }));
  users.push(withUserDefaults({ user_id: id++, full_name: 'Émile', email: `m${id}@x.com` }));
  const sorted = [...users].sort(compareMembers);
  const top = splitMembers(sorted)!;
  assert.deepEqual(
    top.map((b) => b.label),
    ['#', 'A', 'E', 'M'],
  );
  const model = new MemberTreeModel(() => [org]);
  const org = source(users);
  const group = model.groupNode(org.id, 'members');
  const letters = model.children(group);
  const m = letters.find((n) => n.type === 'bucket' && n.prefix === 'M')!;
  // "Maria …" and "Mark …" agree on "MAR": the split goes on to "MARI" / "MARK".
  const mChildren = model.children(m).map((n) => (n.type === 'bucket' ? bucketLabel(n.prefix) : '?'));
  assert.deepEqual(mChildren, ['Mari', 'Mark']);
  const mari = model.children(m)[0];
  assert.ok(mari.type === 'bucket');
  const mariChildren = model.children(mari);
  assert.ok(mariChildren.every((n) => n.type === 'bucket'), 'Maria 0…1399 splits further by the digits');
  // Readable: the space shows as a space, and the label says the name goes on.
  assert.deepEqual(
    mariChildren.map((n) => (n.type === 'bucket' ? bucketLabel(n.prefix) : '?')),
    ['Maria 0…', 'Maria 1…', 'Maria 2…', 'Maria 3…', 'Maria 4…', 'Maria 5…', 'Maria 6…', 'Maria 7…', 'Maria 8…', 'Maria 9…'],
  );
  const ann = letters.find((n) => n.type === 'bucket' && n.prefix === 'A')!;
  const ranges = model.children(ann);
  assert.deepEqual(
    ranges.map((n) => model.bucket(org, 'members', (n as { prefix: string }).prefix)!.label),
    ['Ann Lee 1–1000', 'Ann Lee 1001–2000', 'Ann Lee 2001–2400'],
  );
  assert.equal(model.children(ranges[2]).length, 400);
  // Parents lead back to the group through every level.
  const someone = model.children(ranges[1])[0];
  assert.equal(model.parent(someone), ranges[1]);
  assert.equal(model.parent(ranges[1]), ann);
  assert.equal(model.parent(ann), group);
  assert.equal(model.parent(group), model.orgNode(org.id));
});

test('look-alike letters of different scripts say which script they are', () => {
  const users: User[] = [];
  let id = 1;
  for (const name of ['Anna', 'Αλέξανδρος', 'Анна']) for (let i = 0; i < 400; i++) users.push(withUserDefaults({ user_id: id++, full_name: `${name} ${i}`, email: `u${id}@x.com` }));
  const labels = splitMembers([...users].sort(compareMembers))!.map((b) => b.label);
  assert.deepEqual(labels, ['A', 'Α (Greek)', 'А (Cyrillic)']);
});

test('prefix keys fold accents and case, and put non-letters under #', () => {
  assert.equal(prefixKey('ÉMILE'.normalize('NFD').replace(/\p{M}/gu, ''), 1), 'E');
  assert.equal(prefixKey('42 ABC', 1), '#');
  assert.equal(prefixKey('42 ABC', 2), '#42');
  assert.equal(prefixKey('AL', 3), 'AL\u0001');
  assert.equal(bucketLabel('AL\u0001'), 'Al');
  assert.equal(bucketLabel('MEMBER 00'), 'Member 00…');
  assert.equal(bucketLabel('AL '), 'Al …');
  assert.equal(prefixKey('😀X', 1), '#');
});

test('filter by name or email, as you type; clearing restores', () => {
  const users = generateUsers(20_000, 3);
  const org = source(users);
  const model = new MemberTreeModel(() => [org]);
  const root = model.orgNode(org.id);
  const before = model.children(root);
  model.filter = 'person12';
  const matching = users.filter((u) => u.delivery_email?.includes('person12') && groupOf(u) !== 'deactivated');
  const shown = model.children(root).flatMap((g) => leaves(model, g));
  assert.deepEqual(new Set(shown), new Set(matching.map((u) => u.user_id)));
  model.filter = 'Zoë   sato';
  for (const g of model.children(root)) for (const id of leaves(model, g)) assert.match(org.members.get(id)!.full_name.toLowerCase(), /zoë sato/);
  model.filter = 'nobody-is-called-this';
  assert.deepEqual(model.children(root).map((n) => n.type), ['status']);
  model.filter = '';
  assert.deepEqual(model.children(root), before);
});

test('Deactivated shows only when asked', () => {
  const org = source(generateUsers(5000, 4));
  const model = new MemberTreeModel(() => [org]);
  const root = model.orgNode(org.id);
  assert.ok(!model.children(root).some((n) => n.type === 'group' && n.group === 'deactivated'));
  model.showDeactivated = true;
  assert.equal(model.children(root).at(-1), model.groupNode(org.id, 'deactivated'));
});

test('states: loading, offline, stale and needsSignIn rows', () => {
  const empty = source([], { kind: 'loading' });
  const model = new MemberTreeModel(() => [empty]);
  const kinds = () => model.children(model.orgNode(empty.id)).map((n) => (n.type === 'status' ? n.status : n.type === 'group' ? n.group : n.type));
  assert.deepEqual(kinds(), ['loading']);
  empty.state = { kind: 'offline', reason: 'connection refused' };
  assert.deepEqual(kinds(), ['offline', 'retry']);
  empty.state = { kind: 'needsSignIn', reason: 'Invalid API key' };
  assert.deepEqual(kinds(), ['signIn']);
  const saved = source(generateUsers(100, 5), { kind: 'stale', reason: 'timeout', since: 0, fromDisk: true });
  const staleModel = new MemberTreeModel(() => [saved]);
  const rows = staleModel.children(staleModel.orgNode(saved.id));
  assert.equal(rows[0].type === 'status' && rows[0].status, 'retry');
  assert.ok(rows.slice(1).every((n) => n.type === 'group'), 'the last good list stays');
});

test('live changes keep the sorted groups current without re-sorting, and report the groups touched', () => {
  const users = generateUsers(50_000, 6);
  const index = new MemberIndex(users);
  for (const g of GROUP_ORDER) index.sortedGroup(g);
  const check = (kind: MemberGroupKind) => {
    const fresh = [...index.all()].filter((u) => groupOf(u) === kind).sort(compareMembers);
    assert.deepEqual(index.sortedGroup(kind).map((u) => u.user_id), fresh.map((u) => u.user_id), `${kind} stays sorted`);
  };
  const member = users.find((u) => groupOf(u) === 'members')!;
  const started = performance.now();
  let change = index.update({ user_id: member.user_id, full_name: 'Aaron Aardvark' });
  const renameMs = performance.now() - started;
  assert.deepEqual(change, { userIds: [member.user_id], structural: true, groups: ['members'] });
  check('members');

  change = index.update({ user_id: member.user_id, role: 300 });
  assert.deepEqual(change?.groups, ['members', 'moderators']);
  check('members');
  check('moderators');

  const version = index.structureVersion;
  change = index.update({ user_id: member.user_id, timezone: 'Asia/Tokyo' });
  assert.equal(change?.structural, false);
  assert.equal(index.structureVersion, version, 'a time zone changes no order');
  assert.equal(index.sortedGroup('moderators').find((u) => u.user_id === member.user_id)?.timezone, 'Asia/Tokyo');

  change = index.update({ user_id: member.user_id, is_active: false });
  assert.deepEqual(change?.groups, ['moderators', 'deactivated']);
  check('deactivated');

  index.add(withUserDefaults({ user_id: 999_999, full_name: 'Zz New', email: 'new@x.com' }));
  check('members');
  index.remove(users.find((u) => groupOf(u) === 'guests')!.user_id);
  check('guests');
  console.log(`rename in a sorted group of ${index.groupCount('members')}: ${renameMs.toFixed(2)} ms`);
});

test('a rename moves the member in the tree at once', () => {
  const org = source(generateUsers(3000, 7));
  const model = new MemberTreeModel(() => [org]);
  const group = model.groupNode(org.id, 'members');
  const someone = org.members.sortedGroup('members')[1234];
  model.children(group);
  org.members.update({ user_id: someone.user_id, full_name: '0 First Of All' });
  const first = model.children(group)[0];
  assert.ok(first.type === 'bucket' && first.prefix === '#');
  assert.equal(model.children(first)[0], model.memberNode(org.id, someone.user_id));
  assert.equal(model.parent(model.memberNode(org.id, someone.user_id)), first);
});

test('while filtering, groups and sub-groups with a few matches open by themselves, under ids of their own', () => {
  assert.equal(expandWhileFiltering('', 2), false, 'no filter: rows keep the state a person gave them');
  assert.equal(expandWhileFiltering('desdem', 2), true, 'Members (2) opens');
  assert.equal(expandWhileFiltering('desdem', 0), false);
  assert.equal(expandWhileFiltering('a', EXPAND_MATCHES_UP_TO + 1), false, 'a filter matching thousands leaves them closed');
  const key = 'g\u0000acct\u0000members';
  assert.equal(rowId(key, ''), key, 'cleared: the rows take back their own ids (and expansion)');
  assert.notEqual(rowId(key, 'desdem'), key);
  assert.notEqual(rowId(key, 'desdem'), rowId(key, 'desde'), 'each filter is a new row for VS Code, so Expanded is honoured');
});
