import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MemberIndex } from '../../src/model/memberIndex';
import { membersNamed } from '../../src/model/memberNames';
import { withUserDefaults } from '../../src/zulip/client';

const NAMES = ['Ann Lee', 'ann lee', 'Bob', 'Zoë', 'ZOË', 'Cy'];
const user = (user_id: number, full_name: string) => withUserDefaults({ user_id, full_name, email: `u${user_id}@x.example` });
const ids = (list: readonly { user_id: number }[]) => list.map((u) => u.user_id).sort((a, b) => a - b);

test('patched lookups give what MemberIndex.byName gives, after any changes', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('rename' as const), id: fc.integer({ min: 1, max: 8 }), name: fc.constantFrom(...NAMES) }),
    fc.record({ kind: fc.constant('add' as const), id: fc.integer({ min: 1, max: 12 }), name: fc.constantFrom(...NAMES) }),
    fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 1, max: 12 }), name: fc.constant('') }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 12 }), fc.boolean(), (ops, lookEachTime) => {
      const index = new MemberIndex(Array.from({ length: 8 }, (_, i) => user(i + 1, NAMES[i % NAMES.length])));
      membersNamed(index, 'x');
      for (const o of ops) {
        if (o.kind === 'rename') index.update({ user_id: o.id, full_name: o.name });
        else if (o.kind === 'add') index.add(user(o.id, o.name));
        else index.remove(o.id);
        if (lookEachTime) membersNamed(index, 'x');
      }
      for (const name of NAMES) assert.deepEqual(ids(membersNamed(index, name)), ids(index.byName(name)), name);
    }),
    { numRuns: 500 },
  );
});

test('prepareNames builds the name table in slices after a load: the same lookups, and the event loop turned', async () => {
  const { prepareNames } = await import('../../src/model/memberNames');
  const { Slicer } = await import('../../src/zulip/slices');
  const people = Array.from({ length: 50_000 }, (_, i) => withUserDefaults({ user_id: i + 1, full_name: `Member ${i % 40_000}`, email: `m${i}@example.com` }));
  const index = new MemberIndex(people);
  const slicer = new Slicer(undefined, 1);
  await prepareNames(index, slicer);
  assert.ok(slicer.yields > 0, `yielded ${slicer.yields} times`);
  assert.deepEqual(membersNamed(index, 'member 7').map((u) => u.user_id), [8, 40_008]);
  assert.deepEqual(membersNamed(index, 'MEMBER 39999').map((u) => u.user_id), [40_000]);
  index.add({ ...people[0], full_name: 'Renamed Later' });
  assert.deepEqual(membersNamed(index, 'renamed later').map((u) => u.user_id), [1]);
  assert.deepEqual(membersNamed(index, 'member 0').map((u) => u.user_id), [40_001]);
});

test('changedInPlace: replaced and appended members by reference; a removal leaves it to the caller', async () => {
  const { changedInPlace } = await import('../../src/model/memberChanges');
  const people = [1, 2, 3].map((id) => withUserDefaults({ user_id: id, full_name: `P${id}`, email: `p${id}@example.com` }));
  const index = new MemberIndex(people);
  const known = [...index.all()];
  index.add({ ...people[1], full_name: 'P2 renamed' });
  index.add(withUserDefaults({ user_id: 4, full_name: 'P4', email: 'p4@example.com' }));
  assert.deepEqual(changedInPlace(index, known)?.map((u) => [u.user_id, u.full_name]), [
    [2, 'P2 renamed'],
    [4, 'P4'],
  ]);
  assert.deepEqual(known, [...index.all()], 'brought up to date');
  assert.deepEqual(changedInPlace(index, known), [], 'nothing since');
  index.remove(1);
  const before = [...known];
  assert.equal(changedInPlace(index, known), undefined);
  assert.deepEqual(known, before, 'left as it was');
});
