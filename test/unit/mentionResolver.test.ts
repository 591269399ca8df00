import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemberIndex } from '../../src/model/memberIndex';
import { mentionAt, type Mention } from '../../src/model/mentionParser';
import { resolveMention, type MentionOrganization } from '../../src/model/mentionResolver';
import { countGroupMembers } from '../../src/model/userGroups';
import { withUserDefaults } from '../../src/zulip/client';
import type { User, UserGroup } from '../../src/zulip/types';

const user = (user_id: number, full_name: string, over: Partial<User> = {}): User =>
  withUserDefaults({ user_id, full_name, email: `user${user_id}@zulip.example`, ...over });

function org(id: string, users: User[]): MentionOrganization {
  return { id, name: `Org ${id}`, members: new MemberIndex(users) };
}

function parse(text: string): Mention {
  const m = mentionAt(text, 0);
  assert.ok(m, text);
  return m;
}

const a = org('a', [user(1, 'Ann Lee'), user(2, 'Bob Stone'), user(3, 'bob stone'), user(4, 'Ünal Çelik')]);
const b = org('b', [user(1, 'Someone Else'), user(7, 'Zed Zee'), user(8, 'Zed Zee')]);

test('a name matches case-insensitively', () => {
  const r = resolveMention(parse('@**ann LEE**'), [a]);
  assert.equal(r.kind, 'member');
  assert.equal(r.kind === 'member' && r.match.user.user_id, 1);
  const u = resolveMention(parse('@**ünal çelik**'), [a]);
  assert.equal(u.kind === 'member' && u.match.user.user_id, 4);
});

test('a shared name lists every member, by id', () => {
  const r = resolveMention(parse('@**Bob Stone**'), [a]);
  assert.equal(r.kind, 'ambiguous');
  assert.deepEqual(r.kind === 'ambiguous' && r.matches.map((m) => m.user.user_id), [2, 3]);
});

test('|id decides; a name that is not that member\'s is flagged', () => {
  const r = resolveMention(parse('@**bob stone|3**'), [a]);
  assert.equal(r.kind === 'member' && r.match.user.user_id, 3);
  assert.equal(r.kind === 'member' && r.nameMismatch, undefined);
  // UserMentionPattern: `user.full_name != full_name`, case included (user 3 is "bob stone").
  const otherCase = resolveMention(parse('@**Bob Stone|3**'), [a]);
  assert.equal(otherCase.kind === 'member' && otherCase.nameMismatch, 'Bob Stone');
  const wrong = resolveMention(parse('@**Ann Lee|2**'), [a]);
  assert.equal(wrong.kind === 'member' && wrong.match.user.user_id, 2);
  assert.equal(wrong.kind === 'member' && wrong.nameMismatch, 'Ann Lee');
  const idOnly = resolveMention(parse('@**|4**'), [a]);
  assert.equal(idOnly.kind === 'member' && idOnly.nameMismatch, undefined);
});

test('unknown names and ids', () => {
  const r = resolveMention(parse('@**Nobody**'), [a, b]);
  assert.equal(r.kind, 'unknown');
  assert.deepEqual(r.kind === 'unknown' && r.orgs.map((o) => o.id), ['a', 'b']);
  assert.equal(resolveMention(parse('@**|999**'), [a]).kind, 'unknown');
  assert.equal(resolveMention(parse('@**x|99999999999999999999**'), [a]).kind, 'unknown');
});

test('the default organization is asked first; the others only when it has no match', () => {
  const inDefault = resolveMention(parse('@**|1**'), [a, b]);
  assert.equal(inDefault.kind === 'member' && inDefault.match.org.id, 'a');
  const inOther = resolveMention(parse('@**Zed Zee|7**'), [a, b]);
  assert.equal(inOther.kind === 'member' && inOther.match.org.id, 'b');
  const sharedElsewhere = resolveMention(parse('@**zed zee**'), [a, b]);
  assert.equal(sharedElsewhere.kind, 'ambiguous');
  const both = org('c', [user(50, 'Ann Lee')]);
  const fromOthers = resolveMention(parse('@**Ann Lee**'), [b, a, both]);
  assert.deepEqual(fromOthers.kind === 'ambiguous' && fromOthers.matches.map((m) => `${m.org.id}:${m.user.user_id}`), ['a:1', 'c:50']);
});

test('wildcards need no organization; other mentions need one', () => {
  assert.equal(resolveMention(parse('@**everyone**'), []).kind, 'wildcard');
  assert.equal(resolveMention(parse('@**Ann Lee**'), []).kind, 'noOrganization');
});

const groups: UserGroup[] = [
  { id: 10, name: 'support', description: 'Helps', members: [1, 2] },
  { id: 11, name: 'leads', description: '', members: [2, 3], direct_subgroup_ids: [10, 12] },
  { id: 12, name: 'loop', description: '', members: [4], direct_subgroup_ids: [11] },
];

test('groups: exact name first, then another capitalization (flagged); members counted through subgroups', () => {
  const r = resolveMention(parse('@*support*'), [a], () => groups);
  assert.equal(r.kind === 'group' && r.matches[0].group.id, 10);
  assert.equal(r.kind === 'group' && r.matches[0].caseDiffers, undefined);
  const ci = resolveMention(parse('@_*Support*'), [a], () => groups);
  assert.equal(ci.kind === 'group' && ci.matches[0].caseDiffers, true);
  assert.equal(countGroupMembers(groups[1], groups), 4);
  assert.equal(countGroupMembers(groups[0], groups), 2);
  const none = resolveMention(parse('@*nope*'), [a, b], (o) => (o.id === 'a' ? groups : undefined));
  assert.equal(none.kind === 'group' && none.matches.length, 0);
  assert.deepEqual(none.kind === 'group' && none.unloaded.map((o) => o.id), ['b']);
});

test("cross-realm bots: asked for as needed only when no member has the name, found by name or id once known", () => {
  const bot = user(90, 'Notification Bot', { is_bot: true, is_system_bot: true });
  const asked: boolean[] = [];
  const bots: { known?: User[] } = {};
  const botsOf = (_org: MentionOrganization, needed: boolean) => {
    asked.push(needed);
    return bots.known;
  };
  assert.equal(resolveMention(parse('@**Ann Lee**'), [a], undefined, { crossRealmBotsOf: botsOf }).kind, 'member');
  assert.deepEqual(asked, [false], 'a member has the name: not needed');
  assert.equal(resolveMention(parse('@**notification bot**'), [a], undefined, { crossRealmBotsOf: botsOf }).kind, 'unknown');
  assert.equal(asked.at(-1), true, 'nobody has the name: needed');
  bots.known = [bot];
  const byName = resolveMention(parse('@**notification bot**'), [a], undefined, { crossRealmBotsOf: botsOf });
  assert.equal(byName.kind === 'member' && byName.match.user.user_id, 90);
  const byId = resolveMention(parse('@**|90**'), [a], undefined, { crossRealmBotsOf: botsOf });
  assert.equal(byId.kind === 'member' && byId.match.user.user_id, 90);
  // A member named like a bot: Zulip's lookup finds both.
  const twin = org('t', [user(5, 'Notification Bot')]);
  assert.equal(resolveMention(parse('@**Notification Bot**'), [twin], undefined, { crossRealmBotsOf: botsOf }).kind, 'ambiguous');
});
