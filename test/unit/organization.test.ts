// Live updates end to end against the repository's Zulip server: each realm_user event shape the
// server sends (add, every kind of update, remove) and custom_profile_fields events leave the
// organization's member index equal to what the server answers when asked afresh; a dropped queue
// (BAD_EVENT_QUEUE_ID) is registered again; dispose stops polling and deletes the queue. The
// Members tree model over the live organization follows along.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { groupOf, type MembersChange } from '../../src/model/memberIndex';
import { Organization } from '../../src/model/organization';
import { MemberTreeModel } from '../../src/views/memberTreeModel';
import { ZulipClient } from '../../src/zulip/client';
import type { User } from '../../src/zulip/types';

let server: ZulipServer;
let org: Organization;
let client: ZulipClient;

const HAMLET = 10;
const IAGO_BOT = 23;
const CORDELIA = 8;

before(async () => {
  server = await startZulipServer({ port: 0, generatedMembers: 200, longPollTimeoutSeconds: 1 });
  client = new ZulipClient({ site: server.url, email: server.demo.email, apiKey: server.demo.apiKey, timeoutMs: 5000 });
  org = new Organization(
    { id: `${server.url}|${server.demo.email}`, site: server.url, email: server.demo.email, userId: server.demo.userId, fullName: 'King Hamlet', realmName: 'Zulip Dev', featureLevel: 372, zulipVersion: '10.2' },
    new ZulipClient({ site: server.url, email: server.demo.email, apiKey: server.demo.apiKey, timeoutMs: 5000 }),
    { minBackoffMs: 20, maxBackoffMs: 200 },
  );
  await org.start();
  assert.equal(org.state.kind, 'ready');
});

after(async () => {
  await org.dispose();
  await server.close();
});

/** The next member change matching the predicate (events arrive through the long-poll). */
function nextChange(predicate: (change: MembersChange) => boolean, timeoutMs = 5000): Promise<MembersChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('no matching member change arrived'));
    }, timeoutMs);
    const sub = org.onDidChangeMembers((change) => {
      if (!predicate(change)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(change);
    });
  });
}

/** What the server says about a member now, in the fields events keep current. */
async function serverView(userId: number): Promise<Partial<User>> {
  const user = await client.getUser(userId, { clientGravatar: true, includeCustomProfileFields: true });
  return pick(user);
}

function pick(user: User): Partial<User> {
  return {
    full_name: user.full_name,
    timezone: user.timezone,
    bot_owner_id: user.bot_owner_id,
    role: user.role,
    delivery_email: user.delivery_email,
    email: user.email,
    is_active: user.is_active,
    avatar_version: user.avatar_version,
    profile_data: user.profile_data ?? {},
  };
}

/** Applies a change on the server, waits for its event, and checks the index against the server. */
async function change(userId: number, mutate: () => void, expectStructural: boolean): Promise<MembersChange> {
  const arrived = nextChange((c) => c.userIds.includes(userId));
  mutate();
  const received = await arrived;
  // Some changes send two events (delivery_email, then new_email): let the queue drain.
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(received.structural, expectStructural, `structural flag for ${JSON.stringify(received)}`);
  const local = org.members.get(userId);
  assert.ok(local, `member ${userId} is in the index`);
  assert.deepEqual(pick(local), await serverView(userId));
  return received;
}

test('every realm_user update shape keeps the index equal to the server', async () => {
  await change(HAMLET, () => server.org.updateUser(HAMLET, { full_name: 'Prince Hamlet' }), true);
  assert.equal(org.members.byName('Prince Hamlet')[0]?.user_id, HAMLET);
  await change(HAMLET, () => server.org.updateUser(HAMLET, { timezone: 'Europe/Copenhagen' }), false);
  await change(HAMLET, () => server.org.updateUser(HAMLET, { avatar_url: '/user_avatars/2/new-avatar.png' }), false);
  assert.match(org.members.get(HAMLET)!.avatar_url ?? '', /new-avatar/);
  await change(HAMLET, () => server.org.updateUser(HAMLET, { avatar_url: null }), false);
  await change(IAGO_BOT, () => server.org.updateUser(IAGO_BOT, { bot_owner_id: HAMLET }), false);
  const roleChange = await change(CORDELIA, () => server.org.updateUser(CORDELIA, { role: 300 }), true);
  assert.deepEqual(roleChange.groups, ['members', 'moderators']);
  await change(CORDELIA, () => server.org.updateUser(CORDELIA, { delivery_email: 'cordelia.lear@zulip.com' }), false);
  await change(CORDELIA, () => server.org.updateUser(CORDELIA, { email_address_visibility: 1 }), false);
  assert.equal(org.members.get(CORDELIA)!.email, 'cordelia.lear@zulip.com', 'a public address becomes the API email (new_email)');
  await change(CORDELIA, () => server.org.updateUser(CORDELIA, { custom_profile_field: { id: 3, value: 'Honey cake' } }), false);
  await change(CORDELIA, () => server.org.updateUser(CORDELIA, { custom_profile_field: { id: 2, value: 'Loves **truth**' } }), false);
  assert.match(org.members.get(CORDELIA)!.profile_data?.['2']?.rendered_value ?? '', /<strong>truth<\/strong>/);
  await change(CORDELIA, () => server.org.updateUser(CORDELIA, { custom_profile_field: { id: 3, value: null } }), false);
  const deactivation = await change(CORDELIA, () => server.org.updateUser(CORDELIA, { is_active: false }), true);
  assert.deepEqual(deactivation.groups, ['moderators', 'deactivated']);
  assert.equal(groupOf(org.members.get(CORDELIA)!), 'deactivated');
  await change(CORDELIA, () => server.org.updateUser(CORDELIA, { is_active: true }), true);
});

test('add and remove', async () => {
  const arrived = nextChange((c) => c.structural && !c.reset);
  const added = server.org.addUser({ full_name: 'Rosencrantz', delivery_email: 'rosencrantz@zulip.com', role: 600 });
  const change = await arrived;
  assert.deepEqual(change.userIds, [added.user_id]);
  assert.deepEqual(change.groups, ['guests']);
  assert.deepEqual(pick(org.members.get(added.user_id)!), await serverView(added.user_id));

  const removed = nextChange((c) => c.userIds.includes(added.user_id));
  server.org.removeUser(added.user_id);
  await removed;
  assert.equal(org.members.get(added.user_id), undefined);
});

test('custom_profile_fields events replace the fields, in order', async () => {
  const fields = server.org.profileFieldsForApi();
  const changed = new Promise<void>((resolve) => {
    const sub = org.onDidChangeProfileFields(() => {
      sub.dispose();
      resolve();
    });
  });
  const renamed = fields.map((f) => (f.id === 1 ? { ...f, name: 'Telephone' } : f));
  server.org.setProfileFields([...renamed].reverse());
  await changed;
  assert.equal(org.profileFields.find((f) => f.id === 1)?.name, 'Telephone');
  assert.deepEqual(
    org.profileFields.map((f) => f.order),
    [...org.profileFields.map((f) => f.order)].sort((a, b) => a - b),
  );
});

test("the organization's default code block language comes with the registration and follows realm events", async () => {
  assert.equal(org.defaultCodeBlockLanguage, '');
  const changed = new Promise<void>((resolve) => {
    const sub = org.onDidChangeRealm(() => {
      sub.dispose();
      resolve();
    });
  });
  server.org.setDefaultCodeBlockLanguage('quote');
  await changed;
  assert.equal(org.defaultCodeBlockLanguage, 'quote');
  // A fresh registration reads it from /register.
  const fresh = new Organization(
    { id: `${server.url}|${server.demo.email}#realm`, site: server.url, email: server.demo.email, userId: server.demo.userId, fullName: 'King Hamlet', realmName: 'Zulip Dev', featureLevel: 372, zulipVersion: '10.2' },
    new ZulipClient({ site: server.url, email: server.demo.email, apiKey: server.demo.apiKey, timeoutMs: 5000 }),
  );
  try {
    await fresh.start();
    assert.equal(fresh.defaultCodeBlockLanguage, 'quote');
  } finally {
    await fresh.dispose();
    server.org.setDefaultCodeBlockLanguage('');
  }
});

test("cross-realm bots are asked for once, without keeping the queue made for them or the member list it carried", async () => {
  const queues = server.events.size;
  const before = server.requests.filter((r) => r.path === '/api/v1/register').length;
  const [bots, again] = await Promise.all([org.crossRealmBots(), org.crossRealmBots()]);
  assert.equal(bots, again, 'one answer for both');
  assert.ok(bots.some((b) => b.full_name === 'Notification Bot' && b.is_system_bot === true && b.is_bot), JSON.stringify(bots.map((b) => b.full_name)));
  assert.ok(!bots.some((b) => org.members.get(b.user_id)), 'no member of the organization is among them');
  assert.equal(org.loadedCrossRealmBots, bots);
  assert.equal(server.requests.filter((r) => r.path === '/api/v1/register').length - before, 1, 'one registration');
  assert.equal(server.events.size, queues, 'its queue was deleted');
  await org.crossRealmBots();
  assert.equal(server.requests.filter((r) => r.path === '/api/v1/register').length - before, 1, 'not asked again');
});

test('the tree model over the live organization follows a rename', async () => {
  const model = new MemberTreeModel(() => [org]);
  const group = model.groupNode(org.id, 'members');
  const before = model.children(group);
  const target = before.find((n) => n.type === 'member' && org.members.get(n.userId)?.full_name !== 'Aaaa First')!;
  assert.ok(target.type === 'member');
  const arrived = nextChange((c) => c.userIds.includes(target.userId));
  server.org.updateUser(target.userId, { full_name: 'Aaaa First' });
  await arrived;
  const after = model.children(group);
  assert.equal(after[0], target, 'the same node object, now first');
  assert.equal(org.members.get(target.userId)?.full_name, 'Aaaa First');
});

test('a dropped queue (BAD_EVENT_QUEUE_ID) is registered again, the members refetched, and events flow again', async () => {
  const registersBefore = server.requests.filter((r) => r.path === '/api/v1/register').length;
  const reset = nextChange((c) => c.reset === true, 8000);
  assert.ok(server.events.expireAll() >= 1);
  await reset;
  assert.equal(server.requests.filter((r) => r.path === '/api/v1/register').length, registersBefore + 1);
  assert.equal(org.state.kind, 'ready');
  await change(HAMLET, () => server.org.updateUser(HAMLET, { full_name: 'King Hamlet' }), true);
});

test('dispose stops polling and deletes the queue', async () => {
  const local = new Organization(
    { id: `${server.url}|${server.demo.email}#2`, site: server.url, email: server.demo.email, userId: server.demo.userId, fullName: 'King Hamlet', realmName: 'Zulip Dev', featureLevel: 372, zulipVersion: '10.2' },
    new ZulipClient({ site: server.url, email: server.demo.email, apiKey: server.demo.apiKey, timeoutMs: 5000 }),
  );
  await local.start();
  const queues = server.events.size;
  await local.dispose();
  assert.equal(server.events.size, queues - 1, 'the queue was deleted on the server');
  const polls = server.requests.filter((r) => r.path === '/api/v1/events' && r.method === 'GET').length;
  await new Promise((r) => setTimeout(r, 1500));
  // Only the shared organization (long-poll timeout 1 s) may have polled meanwhile.
  const more = server.requests.filter((r) => r.path === '/api/v1/events' && r.method === 'GET').length - polls;
  assert.ok(more <= 3, `${more} polls after dispose`);
  let fired = false;
  local.onDidChangeMembers(() => (fired = true));
  server.org.updateUser(HAMLET, { timezone: 'Asia/Tokyo' });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(fired, false, 'a disposed organization hears nothing');
});
