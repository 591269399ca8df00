import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MemberIndex } from '../../src/model/memberIndex';
import { parseMentions } from '../../src/model/mentionParser';
import { foldForSearch, mentionSyntaxFor, rankMembers } from '../../src/model/mentionRanking';
import { resolveMention } from '../../src/model/mentionResolver';
import { withUserDefaults } from '../../src/zulip/client';
import type { User } from '../../src/zulip/types';

const user = (user_id: number, full_name: string, over: Partial<User> = {}): User => withUserDefaults({ user_id, full_name, email: `user${user_id}@zulip.example`, ...over });
const LIMIT = 10;
const names = (users: User[]) => users.map((u) => u.full_name);

test('diacritics are folded as Zulip folds them', () => {
  assert.equal(foldForSearch('Zoë'), 'zoe');
  assert.equal(foldForSearch('Ångström'), 'angstrom');
  const index = new MemberIndex([user(1, 'Zoë Adams'), user(2, 'Anders Ångström'), user(3, 'Zora Bell')]);
  assert.deepEqual(names(rankMembers('zoe', index, LIMIT)), ['Zoë Adams']);
  assert.deepEqual(names(rankMembers('angstrom', index, LIMIT)), ['Anders Ångström']);
});

test('whole name first, then name prefix, then word prefix; every query word begins a word', () => {
  const index = new MemberIndex([user(1, 'Ann Lee'), user(2, 'Lee Ann'), user(3, 'Annabel Ray'), user(4, 'Joanne Ann-Marie'), user(5, 'Ann'), user(6, 'Leeann Stone')]);
  assert.deepEqual(names(rankMembers('ann', index, LIMIT)), ['Ann', 'Ann Lee', 'Annabel Ray', 'Joanne Ann-Marie', 'Lee Ann']);
  // query_matches_string_in_any_order: "lee ann" matches "Ann Lee" too, after the in-order one.
  assert.deepEqual(names(rankMembers('lee ann', index, LIMIT)), ['Lee Ann', 'Ann Lee']);
  assert.deepEqual(names(rankMembers('nn', index, LIMIT)), [], 'a query matches at word starts only');
});

test('people before bots; deactivated members only when asked', () => {
  const index = new MemberIndex([user(1, 'Build Bot', { is_bot: true }), user(2, 'Build Master'), user(3, 'Builder Gone', { is_active: false })]);
  assert.deepEqual(names(rankMembers('build', index, LIMIT)), ['Build Master', 'Build Bot']);
  assert.deepEqual(names(rankMembers('build', index, LIMIT, { includeDeactivated: true })), ['Build Master', 'Builder Gone', 'Build Bot']);
  assert.deepEqual(names(rankMembers('build', index, LIMIT, { includeBots: false })), ['Build Master']);
});

test('a typed user id or email puts that member first; emails match anywhere, after names', () => {
  const index = new MemberIndex([user(1, 'Kim Park', { email: 'kim@zulip.example' }), user(42, 'Alex Kimura'), user(7, 'Sam Roe', { delivery_email: 'kimchi@example.com' })]);
  assert.equal(rankMembers('42', index, LIMIT)[0].user_id, 42);
  assert.equal(rankMembers('kimchi@example.com', index, LIMIT)[0].user_id, 7);
  assert.deepEqual(rankMembers('kim', index, LIMIT).map((u) => u.user_id), [1, 42, 7]);
});

test('at most `limit`, and the index\'s changes are followed', () => {
  const index = new MemberIndex(Array.from({ length: 50 }, (_, i) => user(i + 1, `Pat ${i}`)));
  assert.equal(rankMembers('pat', index, LIMIT).length, LIMIT);
  index.update({ user_id: 3, full_name: 'Quinn Renamed' });
  assert.deepEqual(names(rankMembers('quinn', index, LIMIT)), ['Quinn Renamed']);
});

test('mentionSyntaxFor writes |id only when the name is shared or is a wildcard, or when asked', () => {
  const index = new MemberIndex([user(1, 'Ann Lee'), user(2, 'Bob Stone'), user(3, 'bob stone'), user(4, 'all'), user(5, 'Star*Man'), user(6, 'Pipe|12')]);
  assert.equal(mentionSyntaxFor(index.get(1)!, index), '@**Ann Lee**');
  assert.equal(mentionSyntaxFor(index.get(2)!, index), '@**Bob Stone|2**');
  assert.equal(mentionSyntaxFor(index.get(4)!, index), '@**all|4**');
  assert.equal(mentionSyntaxFor(index.get(1)!, index, { alwaysIncludeId: true, silent: true }), '@_**Ann Lee|1**');
  assert.equal(mentionSyntaxFor(index.get(5)!, index), '@**|5**');
  assert.equal(mentionSyntaxFor(index.get(6)!, index), '@**Pipe|12|6**');
  // Every form it writes resolves back to that member.
  for (const u of index.all()) {
    const [mention] = parseMentions(mentionSyntaxFor(u, index));
    const r = resolveMention(mention, [{ id: 'o', name: 'O', members: index }]);
    assert.equal(r.kind === 'member' && r.nameMismatch === undefined && r.match.user.user_id, u.user_id, u.full_name);
  }
});

test('after any member changes, ranking gives what a fresh index gives', () => {
  const NAMES = ['Ann Lee', 'Anna Bell', 'Bob Ann', 'Zoë Ann', 'Cy'];
  const op = fc.record({ kind: fc.constantFrom('rename', 'add', 'remove', 'deactivate'), id: fc.integer({ min: 1, max: 10 }), name: fc.constantFrom(...NAMES) });
  fc.assert(
    fc.property(fc.array(op, { maxLength: 10 }), fc.constantFrom('ann', 'an', 'zoe', 'bell', 'c'), (ops, query) => {
      const index = new MemberIndex(Array.from({ length: 6 }, (_, i) => user(i + 1, NAMES[i % NAMES.length])));
      rankMembers(query, index, LIMIT);
      for (const o of ops) {
        if (o.kind === 'rename') index.update({ user_id: o.id, full_name: o.name });
        else if (o.kind === 'add') index.add(user(o.id, o.name));
        else if (o.kind === 'remove') index.remove(o.id);
        else index.update({ user_id: o.id, is_active: false });
        rankMembers(query, index, LIMIT);
      }
      const fresh = new MemberIndex([...index.all()]);
      assert.deepEqual(rankMembers(query, index, LIMIT).map((u) => u.user_id), rankMembers(query, fresh, LIMIT).map((u) => u.user_id));
    }),
    { numRuns: 500 },
  );
});

test('prepareRanking builds the table in slices after a load: the same ranking, the event loop turned, and a change meanwhile is patched in', async () => {
  const { prepareRanking } = await import('../../src/model/mentionRanking');
  const { Slicer } = await import('../../src/zulip/slices');
  const people = Array.from({ length: 20_000 }, (_, i) => withUserDefaults({ user_id: i + 1, full_name: `${['Zoë', 'Ann', 'Ångström', 'Bo'][i % 4]} Member ${i}`, email: `m${i}@example.com` }));
  const prepared = new MemberIndex(people);
  const onDemand = new MemberIndex(people);
  // A budget of 1 ms makes a 20,000-member build take several slices even on a fast machine.
  const slicer = new Slicer(undefined, 1);
  await prepareRanking(prepared, slicer);
  assert.ok(slicer.yields > 0, `yielded ${slicer.yields} times`);
  for (const query of ['zoe', 'ann m', 'angstrom', 'member 19', 'm42@']) {
    assert.deepEqual(rankMembers(query, prepared, 20).map((u) => u.user_id), rankMembers(query, onDemand, 20).map((u) => u.user_id), query);
  }

  // Renamed while the table was being built: the next search patches it in.
  const renamed = new MemberIndex(people);
  const building = prepareRanking(renamed, new Slicer(undefined, 1));
  renamed.add({ ...people[0], full_name: 'Quentin Rename' });
  await building;
  assert.deepEqual(rankMembers('quentin', renamed, 5).map((u) => u.user_id), [1]);

  // Cancelled (a sign-out): it stops with the cancellation.
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(prepareRanking(new MemberIndex(people), new Slicer(controller.signal, 1)), /cancelled/);
});
