// POST /register, long-polling GET /events, heartbeats, queue expiry, DELETE /events.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { assertZulipError, call, credentialsOf, withServer, type Credentials } from './helpers';
import type { EventsAnswer, RegisterAnswer, UserAnswer, WireEvent } from './wire';

let server: ZulipServer;

before(async () => {
  server = await startZulipServer({ port: 0, longPollTimeoutSeconds: 0.5, rateLimit: false });
});

after(async () => {
  await server.close();
});

async function register(target: ZulipServer, form: Record<string, unknown> = {}, auth?: Credentials) {
  const result = await call<RegisterAnswer>(target, 'POST', '/register', { form: { event_types: ['realm_user'], ...form }, auth });
  assert.equal(result.status, 200, result.text);
  return result.json!;
}

async function poll(target: ZulipServer, queueId: string, lastEventId: number, auth?: Credentials): Promise<WireEvent[]> {
  const result = await call<EventsAnswer>(target, 'GET', '/events', { query: { queue_id: queueId, last_event_id: lastEventId }, auth });
  assert.equal(result.status, 200, result.text);
  assert.equal(result.json!.queue_id, queueId);
  return result.json!.events;
}

describe('POST /register', () => {
  test('returns the queue and the initial state of what was fetched', async () => {
    const state = await register(server, { fetch_event_types: ['realm_user', 'custom_profile_fields', 'presence', 'realm_user_groups'] });
    assert.equal(typeof state.queue_id, 'string');
    assert.equal(state.last_event_id, -1);
    assert.equal(state.zulip_feature_level, 372);
    assert.equal(state.event_queue_longpoll_timeout_seconds, 1);
    assert.ok(state.realm_users.some((u) => u.user_id === 10));
    assert.ok(state.realm_users.every((u) => !('is_active' in u)), 'no is_active in realm_users');
    assert.ok(state.realm_non_active_users.some((u) => u.user_id === 15));
    assert.ok(state.realm_users.find((u) => u.user_id === 10)!.profile_data, 'profile data included');
    assert.deepEqual(state.cross_realm_bots.map((b) => b.full_name).sort(), ['Email Gateway', 'Notification Bot', 'Welcome Bot']);
    assert.ok(state.cross_realm_bots.every((b) => b.is_system_bot === true && b.bot_owner_id === null));
    assert.equal(state.user_id, 10);
    assert.equal(state.full_name, 'King Hamlet');
    assert.equal(state.custom_profile_fields.length, 10);
    assert.equal(state.custom_profile_field_types.PRONOUNS.id, 8);
    assert.ok(state.presences['hamlet@zulip.com']);
    assert.ok(state.realm_user_groups.some((g) => g.name === 'backend'));
  });

  test('fetches only what fetch_event_types asks, defaulting to event_types', async () => {
    const onlyUsers = await register(server);
    assert.ok(Array.isArray(onlyUsers.realm_users));
    assert.equal(onlyUsers.custom_profile_fields, undefined);
    const presenceOnly = await register(server, { event_types: ['presence'], slim_presence: true });
    assert.equal(presenceOnly.realm_users, undefined);
    assert.deepEqual(Object.keys(presenceOnly.presences['10']).sort(), ['active_timestamp', 'idle_timestamp'], 'slim presence by user id');
  });

  test('event_types must be a JSON list', async () => {
    assertZulipError(await call(server, 'POST', '/register', { form: { event_types: 'realm_user' } }), 400, 'BAD_REQUEST', 'event_types is not valid JSON');
  });
});

describe('GET /events', () => {
  test('a long-poll receives a realm_user update made through org.updateUser', async () => {
    const { queue_id } = await register(server);
    const pending = poll(server, queue_id, -1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.org.updateUser(8, { full_name: 'Cordelia of Britain' });
    const events = await pending;
    assert.deepEqual(events, [{ type: 'realm_user', op: 'update', person: { user_id: 8, full_name: 'Cordelia of Britain' }, id: 0 }]);
    const member = (await call<UserAnswer>(server, 'GET', '/users/8')).json!.user;
    assert.equal(member.full_name, 'Cordelia of Britain', 'GET /users/8 sees the change too (cache dropped)');
  });

  test('every realm_user update shape', async () => {
    const { queue_id } = await register(server);
    server.org.updateUser(14, { avatar_url: '/user_avatars/2/fresh.png' });
    server.org.updateUser(14, { timezone: 'Asia/Tokyo' });
    server.org.updateUser(24, { bot_owner_id: 11 });
    server.org.updateUser(14, { role: 300 });
    server.org.updateUser(14, { custom_profile_field: { id: 2, value: 'Hi **there**' } });
    server.org.updateUser(14, { custom_profile_field: { id: 2, value: null } });
    server.org.updateUser(14, { delivery_email: 'zoe.new@zulip.com' });
    server.org.updateUser(14, { new_email: 'zoe.newer@zulip.com' });
    server.org.updateUser(14, { is_active: false });
    server.org.updateUser(14, { is_active: true });
    const persons = (await poll(server, queue_id, -1)).map((event) => event.person);
    assert.deepEqual(persons, [
      {
        user_id: 14,
        avatar_source: 'U',
        avatar_url: '/user_avatars/2/fresh.png?version=3',
        avatar_url_medium: '/user_avatars/2/fresh-medium.png?version=3',
        avatar_version: 3,
      },
      { user_id: 14, email: 'ZOE@zulip.com', timezone: 'Asia/Tokyo' },
      { user_id: 24, bot_owner_id: 11 },
      { user_id: 14, role: 300 },
      { user_id: 14, custom_profile_field: { id: 2, value: 'Hi **there**', rendered_value: '<p>Hi <strong>there</strong></p>' } },
      { user_id: 14, custom_profile_field: { id: 2, value: null } },
      { user_id: 14, delivery_email: 'zoe.new@zulip.com' },
      { user_id: 14, new_email: 'zoe.new@zulip.com' },
      { user_id: 14, delivery_email: 'zoe.newer@zulip.com' },
      { user_id: 14, new_email: 'zoe.newer@zulip.com' },
      { user_id: 14, is_active: false },
      { user_id: 14, is_active: true },
    ]);
  });

  test('delivery_email events go only to those allowed to see the address', async () => {
    const asMember = await register(server);
    const asAdmin = await register(server, {}, credentialsOf(server, 11));
    server.org.updateUser(9, { delivery_email: 'othello.moor@zulip.com' }); // visible to admins only
    const memberEvents = (await call<EventsAnswer>(server, 'GET', '/events', { query: { queue_id: asMember.queue_id, dont_block: true } })).json!.events;
    assert.deepEqual(memberEvents, []);
    const adminEvents = await poll(server, asAdmin.queue_id, -1, credentialsOf(server, 11));
    assert.deepEqual(adminEvents.map((e) => e.person), [{ user_id: 9, delivery_email: 'othello.moor@zulip.com' }]);
    // Visibility widened to everyone: the API email changes for all, the address appears for the member.
    server.org.updateUser(9, { email_address_visibility: 1 });
    const widened = await poll(server, asMember.queue_id, -1);
    assert.deepEqual(widened.map((e) => e.person), [
      { user_id: 9, delivery_email: 'othello.moor@zulip.com' },
      { user_id: 9, new_email: 'othello.moor@zulip.com' },
    ]);
  });

  test('add, remove, custom_profile_fields and presence events; event_types filters', async () => {
    const all = await register(server, { event_types: ['realm_user', 'custom_profile_fields', 'presence'] });
    const usersOnly = await register(server);
    const added = server.org.addUser({ full_name: 'Horatio', delivery_email: 'horatio@zulip.com' });
    server.org.removeUser(added.user_id);
    server.org.setProfileFields(server.org.profileFieldsForApi().slice(0, 3));
    server.org.setPresence(12, 'active', 1_700_000_000);
    const events = await poll(server, all.queue_id, -1);
    assert.deepEqual(events.map((e) => `${e.type}:${e.op ?? ''}`), ['realm_user:add', 'realm_user:remove', 'custom_profile_fields:', 'presence:']);
    assert.equal(events[0].person!.full_name, 'Horatio');
    assert.deepEqual(events[0].person!.profile_data, {});
    assert.deepEqual(events[1].person, { user_id: added.user_id, full_name: 'Horatio' });
    assert.equal(events[2].fields!.length, 3);
    assert.deepEqual(events[3].presence!.website, { client: 'website', status: 'active', timestamp: 1_700_000_000, pushable: false });
    assert.equal(events[3].email, 'user12@zulip.testserver');
    const filtered = await poll(server, usersOnly.queue_id, -1);
    assert.deepEqual(filtered.map((e) => e.type), ['realm_user', 'realm_user']);
    assert.deepEqual([...filtered.map((e) => e.id)], [0, 1], 'ids count per queue');
  });

  test('acknowledged events are not sent again; a timeout brings a heartbeat', async () => {
    const { queue_id } = await register(server);
    server.org.updateUser(7, { timezone: 'UTC' });
    const first = await poll(server, queue_id, -1);
    assert.equal(first.length, 1);
    const started = Date.now();
    const next = await poll(server, queue_id, first[0].id);
    assert.deepEqual(next, [{ type: 'heartbeat', id: 1 }]);
    assert.ok(Date.now() - started >= 450, 'waited for the long-poll timeout');
  });

  test('dont_block answers at once', async () => {
    const { queue_id } = await register(server);
    const started = Date.now();
    const result = await call<EventsAnswer>(server, 'GET', '/events', { query: { queue_id, last_event_id: -1, dont_block: true } });
    assert.deepEqual(result.json!.events, []);
    assert.ok(Date.now() - started < 400);
  });

  test('BAD_EVENT_QUEUE_ID for unknown and expired queues, with queue_id in the body', async () => {
    const unknown = await call(server, 'GET', '/events', { query: { queue_id: 'no-such-queue', last_event_id: -1 } });
    assertZulipError(unknown, 400, 'BAD_EVENT_QUEUE_ID', 'Bad event queue ID: no-such-queue');
    assert.equal(unknown.json!.queue_id, 'no-such-queue');
    const { queue_id } = await register(server);
    const waiting = call(server, 'GET', '/events', { query: { queue_id, last_event_id: -1 } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(server.events.expireAll() >= 1);
    assertZulipError(await waiting, 400, 'BAD_EVENT_QUEUE_ID', `Bad event queue ID: ${queue_id}`);
    assertZulipError(await call(server, 'GET', '/events', { query: { queue_id, last_event_id: -1 } }), 400, 'BAD_EVENT_QUEUE_ID', `Bad event queue ID: ${queue_id}`);
  });

  test('idle queues are garbage-collected', async () => {
    await withServer({ queueTimeoutSeconds: 0.2 }, async (quick) => {
      const { queue_id } = await register(quick);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assertZulipError(await call(quick, 'GET', '/events', { query: { queue_id, dont_block: true } }), 400, 'BAD_EVENT_QUEUE_ID', `Bad event queue ID: ${queue_id}`);
    });
  });

  test("another member's queue is refused; queue_id is required", async () => {
    const { queue_id } = await register(server);
    const other = await call(server, 'GET', '/events', { query: { queue_id, last_event_id: -1 }, auth: credentialsOf(server, 11) });
    assertZulipError(other, 400, 'BAD_REQUEST', 'You are not authorized to get events from this queue');
    const missing = await call(server, 'GET', '/events', { query: { last_event_id: -1 } });
    assertZulipError(missing, 400, 'REQUEST_VARIABLE_MISSING', "Missing 'queue_id' argument");
    assert.equal(missing.json!.var_name, 'queue_id');
  });
});

describe('DELETE /events', () => {
  test('deletes the queue; a second delete is BAD_EVENT_QUEUE_ID', async () => {
    const { queue_id } = await register(server);
    const deleted = await call(server, 'DELETE', '/events', { query: { queue_id } });
    assert.deepEqual(deleted.json, { result: 'success', msg: '' });
    assertZulipError(await call(server, 'DELETE', '/events', { form: { queue_id } }), 400, 'BAD_EVENT_QUEUE_ID', `Bad event queue ID: ${queue_id}`);
  });
});

describe('before feature level 222', () => {
  test('deactivation is announced as "remove" and reactivation as "add"', async () => {
    await withServer({ featureLevel: 221 }, async (old) => {
      const { queue_id } = await register(old);
      old.org.deactivateUser(14);
      old.org.reactivateUser(14);
      const events = await poll(old, queue_id, -1);
      assert.deepEqual(events.map((e) => e.op), ['remove', 'add']);
      assert.equal(events[1].person!.user_id, 14);
      assert.equal(events[1].person!.is_active, true);
    });
  });
});
