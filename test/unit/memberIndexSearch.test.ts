// The member index's one search: Find Member's ranked list and the Members tree's filter agree on
// who matches, and both follow changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemberIndex } from '../../src/model/memberIndex';
import { withUserDefaults } from '../../src/zulip/client';

const members = [
  withUserDefaults({ user_id: 1, full_name: 'Ann Lee', email: 'user1@example.com', delivery_email: 'ann@example.com' }),
  withUserDefaults({ user_id: 2, full_name: 'Bob Ann', email: 'bob@example.com', delivery_email: 'bob@example.com' }),
  withUserDefaults({ user_id: 3, full_name: 'Cy', email: 'cy@example.com', delivery_email: null }),
];

test('matcher and search agree: every word in the name or an address, case-insensitively', () => {
  const index = new MemberIndex();
  index.reset(members);
  for (const query of ['ann', 'ANN lee', 'example.com', 'user1', 'bob@', 'cy ann', 'zzz']) {
    const matches = index.matcher(query);
    const matched = members.filter(matches).map((u) => u.user_id).sort();
    const searched = index.search(query).map((u) => u.user_id).sort();
    assert.deepEqual(matched, searched, query);
  }
  assert.deepEqual(members.filter(index.matcher('ann')).map((u) => u.user_id), [1, 2]);
});

test('the matcher follows a rename and is reused while nothing changes', () => {
  const index = new MemberIndex();
  index.reset(members);
  const first = index.matcher('dee');
  assert.equal(index.matcher('dee'), first, 'same query, same list: one scan');
  assert.equal(members.some(first), false);
  index.update({ user_id: 3, full_name: 'Cy Dee' });
  const renamed = index.matcher('dee');
  assert.notEqual(renamed, first);
  assert.equal(renamed(index.get(3)!), true);
});
