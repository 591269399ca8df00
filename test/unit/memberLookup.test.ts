import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findMembers } from '../../src/model/findMembers';
import { MemberIndex } from '../../src/model/memberIndex';
import { lookUpMember, lookupNote, lookupTargetOf } from '../../src/model/memberLookup';
import { withUserDefaults, type ZulipClient } from '../../src/zulip/client';
import { ZulipError } from '../../src/zulip/errors';
import type { User } from '../../src/zulip/types';

const user = (user_id: number, full_name: string, over: Partial<User> = {}): User =>
  withUserDefaults({ user_id, full_name, email: `user${user_id}@chat.example`, ...over });

test('lookupTargetOf: ids, user{id}@host, real emails; anything else is no lookup', () => {
  assert.deepEqual(lookupTargetOf(' 42 '), { kind: 'id', userId: 42 });
  assert.deepEqual(lookupTargetOf('#42'), { kind: 'id', userId: 42 });
  assert.deepEqual(lookupTargetOf('user42@chat.example'), { kind: 'placeholder', email: 'user42@chat.example', userId: 42 });
  assert.deepEqual(lookupTargetOf('Ann@Example.com'), { kind: 'email', email: 'Ann@Example.com' });
  assert.deepEqual(lookupTargetOf('ann@localhost'), { kind: 'email', email: 'ann@localhost' });
  for (const text of ['ann', 'ann@', '@x.com', 'a b@c.d', '12a', '', '1234567890123456']) assert.equal(lookupTargetOf(text), undefined, text);
});

test('lookupNote: what the feature level allows', () => {
  const email = lookupTargetOf('ann@example.com')!;
  assert.match(lookupNote(email, 20)!, /cannot look members up by email.*feature level 39/);
  assert.match(lookupNote(email, 301)!, /needs Zulip 10\.0 \(feature level 302\); this server is at 301.*user\{id\}@host form still/);
  assert.equal(lookupNote(email, 302), undefined);
  assert.equal(lookupNote(lookupTargetOf('user5@x.example')!, 100), undefined);
  assert.equal(lookupNote(lookupTargetOf('5')!, 0), undefined);
});

/** A client that answers from a table, failing as Zulip does (400 BAD_REQUEST). */
function fakeClient(featureLevel: number, users: User[], visibleEmails: string[] = []) {
  const calls: string[] = [];
  const refuse = (msg: string) => new ZulipError(`${msg} (https://chat.example/api/v1/users/x).`, { kind: 'api', status: 400, code: 'BAD_REQUEST', serverMsg: msg });
  const client = {
    featureLevel: () => Promise.resolve(featureLevel),
    getUser: (id: number) => {
      calls.push(`GET /users/${id}`);
      const found = users.find((u) => u.user_id === id);
      return found ? Promise.resolve(found) : Promise.reject(refuse('No such user'));
    },
    getUserByEmail: (email: string) => {
      calls.push(`GET /users/${email}`);
      const found = users.find((u) => u.email === email || (visibleEmails.includes(email) && u.delivery_email === email));
      return found ? Promise.resolve(found) : Promise.reject(refuse('No such user'));
    },
  } as unknown as ZulipClient;
  return { client, calls };
}

const hidden = user(7, 'Hidden Person', { delivery_email: 'hidden@example.com' });

test('lookUpMember by id, by placeholder, by real email on a new server', async () => {
  const { client, calls } = fakeClient(400, [hidden], ['hidden@example.com']);
  assert.equal(((await lookUpMember(client, lookupTargetOf('7')!, 'Org')) as { user: User }).user.user_id, 7);
  assert.equal(((await lookUpMember(client, lookupTargetOf('user7@chat.example')!, 'Org')) as { user: User }).user.user_id, 7);
  assert.equal(((await lookUpMember(client, lookupTargetOf('hidden@example.com')!, 'Org')) as { user: User }).user.user_id, 7);
  assert.deepEqual(calls, ['GET /users/7', 'GET /users/user7@chat.example', 'GET /users/hidden@example.com']);
});

test('refusals quote the server and say what may be the reason', async () => {
  const { client } = fakeClient(400, [hidden]);
  const byId = await lookUpMember(client, lookupTargetOf('99')!, 'Org');
  assert.deepEqual(byId, {
    ok: false,
    message: 'Org has no member with user id 99 that you may see (the server said: "No such user"). Either there is no such member, or you are not allowed to see them.',
  });
  const byEmail = await lookUpMember(client, lookupTargetOf('hidden@example.com')!, 'Org');
  assert.equal(byEmail.ok, false);
  assert.match((byEmail as { message: string }).message, /no member with the email hidden@example\.com that you may see.*its owner does not let you see it/);
});

test('old servers: real emails explained before 302, impossible before 39; placeholders still work', async () => {
  const old = fakeClient(200, [hidden]);
  const refused = await lookUpMember(old.client, lookupTargetOf('hidden@example.com')!, 'Org');
  assert.match((refused as { message: string }).message, /Before Zulip 10\.0 \(feature level 302\).*this server is at 200/);
  const ancient = fakeClient(30, [hidden]);
  const noEmail = await lookUpMember(ancient.client, lookupTargetOf('hidden@example.com')!, 'Org');
  assert.match((noEmail as { message: string }).message, /cannot look members up by email/);
  assert.deepEqual(ancient.calls, []);
  // user{id}@host becomes GET /users/{id} where GET /users/{email} does not exist yet.
  assert.equal((await lookUpMember(ancient.client, lookupTargetOf('user7@chat.example')!, 'Org')).ok, true);
  assert.deepEqual(ancient.calls, ['GET /users/7']);
});

test('transport failures are reported as such', async () => {
  const client = {
    featureLevel: () => Promise.resolve(400),
    getUser: () => Promise.reject(new ZulipError('chat.example refused the connection.', { kind: 'connection' })),
  } as unknown as ZulipClient;
  const result = await lookUpMember(client, lookupTargetOf('3')!, 'Org');
  assert.deepEqual(result, { ok: false, message: 'Could not look up user id 3 in Org: chat.example refused the connection.' });
});

test('findMembers: exact id or email first, name and email matches, lookup only for unknown ids and emails', () => {
  const members = new MemberIndex([
    user(1, 'Ann Lee', { delivery_email: 'ann@example.com' }),
    user(2, 'Bob 12 Stone'),
    user(12, 'Zed'),
    user(3, 'Cy', { email: 'user3@chat.example', delivery_email: null }),
  ]);
  assert.deepEqual(findMembers(members, 'ann').users.map((u) => u.user_id), [1]);
  assert.equal(findMembers(members, 'ann').lookup, undefined);
  assert.deepEqual(findMembers(members, 'ANN@example.com').users.map((u) => u.user_id), [1]);
  assert.equal(findMembers(members, 'ann@example.com').lookup, undefined);
  assert.deepEqual(findMembers(members, '12').users.map((u) => u.user_id), [12, 2]);
  assert.equal(findMembers(members, '12').lookup, undefined);
  assert.deepEqual(findMembers(members, 'user3@chat.example').users.map((u) => u.user_id), [3]);
  assert.deepEqual(findMembers(members, '77'), { users: [], lookup: { kind: 'id', userId: 77 } });
  assert.deepEqual(findMembers(members, 'nobody@example.com').lookup, { kind: 'email', email: 'nobody@example.com' });
  assert.equal(findMembers(members, '', 2).users.length, 2);
});

test('findMembers is bounded: 100,000 members, at most the limit', () => {
  const members = new MemberIndex(Array.from({ length: 100_000 }, (_, i) => user(i + 1, `Person ${i + 1}`)));
  assert.equal(findMembers(members, 'person', 200).users.length, 200);
  assert.equal(findMembers(members, '', 200).users.length, 200);
  assert.deepEqual(findMembers(members, '99999').users.map((u) => u.user_id)[0], 99999);
});

test('findMembers ranks as Zulip does: typed id first, whole name, prefix, word prefix, people before bots, deactivated kept', () => {
  const members = new MemberIndex([
    user(26, 'Zoë Quinn'),
    user(1026, 'Member 00026 Charlie'),
    user(40, 'Helbot', { is_bot: true }),
    user(41, 'Helga Old', { is_active: false }),
    user(42, 'Anne Helm'),
    user(43, 'Hel'),
  ]);
  // A typed id names one member; the others whose names or addresses hold "26" follow.
  assert.deepEqual(findMembers(members, '26').users.map((u) => u.user_id), [26, 1026]);
  assert.deepEqual(findMembers(members, '#26').users.map((u) => u.user_id)[0], 26);
  // Diacritics folded: "zoe" finds Zoë.
  assert.deepEqual(findMembers(members, 'zoe').users.map((u) => u.user_id), [26]);
  // Whole name, then name prefix (people, then the bot though "helbot" sorts first), then a word prefix; the deactivated member is listed.
  assert.deepEqual(findMembers(members, 'hel').users.map((u) => u.user_id), [43, 41, 40, 42]);
});
