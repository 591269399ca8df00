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
