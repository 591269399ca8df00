// Presence over time, user status, custom emoji and user groups over a real socket, at the
// feature levels that change them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { callControl } from '../../server/controlClient';
import { FEATURE } from '../../server/features';
import { OFFLINE_THRESHOLD_SECONDS } from '../../server/presence';
import { HOSTILE_PEOPLE_VALUES } from '../../server/hostile';
import { INVISIBLE_USER_ID } from '../../server/seed';
import { assertZulipError, call, credentialsOf, type ApiResult, type CallOptions, type Credentials } from './helpers';

type Json = Record<string, unknown>;

/** The JSON body of a 200 answer. */
function ok(result: ApiResult): Json {
  assert.equal(result.status, 200, result.text);
  return result.json as Json;
}

/** A nested value by keys (JSON objects) and indexes. */
function at(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const key of path) current = (current as Record<string | number, unknown> | undefined)?.[key];
  return current;
}

async function api(server: ZulipServer, method: string, path: string, options: CallOptions = {}): Promise<Json> {
  return ok(await call(server, method, path, options));
}

async function control(server: ZulipServer, name: string, body: Json = {}): Promise<Json> {
  const answer = await callControl<Json>(server.url, name, body);
  assert.equal(answer.ok, true, JSON.stringify(answer));
  return answer;
}

async function register(server: ZulipServer, form: Json, auth?: Credentials): Promise<Json> {
  return api(server, 'POST', '/register', { form: form as CallOptions['form'], auth });
}

async function events(server: ZulipServer, queueId: unknown, auth?: Credentials): Promise<Json[]> {
  const body = await api(server, 'GET', '/events', { query: { queue_id: String(queueId), dont_block: true }, auth });
  return body.events as Json[];
}

let server: ZulipServer;

before(async () => {
  server = await startZulipServer({ port: 0, rateLimit: false, validateContract: true, longPollTimeoutSeconds: 0.5 });
});

after(async () => {
  // Only the two bad requests sent on purpose; every response matched zulip.yaml.
  assert.deepEqual(server.contractViolations, [
    'POST /users/me/presence request (update-presence): form parameter status: must be one of ["idle","active"]',
    "POST /users/me/presence request (update-presence): missing required form parameter 'status'",
  ]);
  await server.close();
});

describe('presence', () => {
  test('register and GET /realm/presence: legacy by email, modern by id, two weeks of history', async () => {
    const legacy = await register(server, { fetch_event_types: ['presence'], event_types: ['presence'] });
    assert.deepEqual(at(legacy, 'presences', 'hamlet@zulip.com', 'aggregated', 'status'), 'active');
    assert.equal(typeof legacy.server_timestamp, 'number');
    assert.ok(Number.isInteger(legacy.presence_last_update_id) && (legacy.presence_last_update_id as number) > 0);
    const modern = await register(server, { fetch_event_types: ['presence'], event_types: ['presence'], slim_presence: true });
    const iago = at(modern, 'presences', '11') as { active_timestamp: number; idle_timestamp: number };
    assert.ok(iago.idle_timestamp - iago.active_timestamp >= 19 * 60, 'idle: connected, not active for 20 minutes');
    assert.equal(at(modern, 'presences', '19'), undefined, 'active 20 days ago: outside the default 14 days');
    assert.equal(at(modern, 'presences', '23'), undefined, 'bots have no presence');
    const longer = await register(server, { fetch_event_types: ['presence'], event_types: ['presence'], slim_presence: true, presence_history_limit_days: 30 });
    assert.ok(at(longer, 'presences', '19'), 'history_limit_days reaches further back');
    const realm = await api(server, 'GET', '/realm/presence');
    assert.deepEqual(Object.keys(at(realm, 'presences', 'hamlet@zulip.com') as Json).sort(), ['aggregated', 'website']);
    assert.equal(realm.presence_last_update_id, undefined);
  });

  test('the invisible member is reported offline and their own reports change nothing', async () => {
    const state = await register(server, { fetch_event_types: ['presence', 'user_status'], event_types: ['presence'], slim_presence: true });
    const invisible = at(state, 'presences', String(INVISIBLE_USER_ID)) as { idle_timestamp: number };
    const now = server.org.clock.unix();
    assert.ok(now - invisible.idle_timestamp > OFFLINE_THRESHOLD_SECONDS, 'older than the offline threshold');
    assert.deepEqual(at(state, 'user_status', String(INVISIBLE_USER_ID)), { away: true });
    await api(server, 'POST', '/users/me/presence', { form: { status: 'active' }, auth: credentialsOf(server, INVISIBLE_USER_ID) });
    assert.deepEqual(server.org.presence.get(INVISIBLE_USER_ID)?.lastConnected, invisible.idle_timestamp);
  });

  test('POST /users/me/presence: reports the caller, answers incrementally with last_update_id', async () => {
    const shiva = credentialsOf(server, 6);
    const first = await api(server, 'POST', '/users/me/presence', { form: { status: 'active', last_update_id: -1 }, auth: shiva });
    const mine = at(first, 'presences', '6') as { active_timestamp: number };
    assert.ok(Math.abs(mine.active_timestamp - server.org.clock.unix()) <= 1, 'the caller is active now');
    const lastId = first.presence_last_update_id as number;
    const again = await api(server, 'POST', '/users/me/presence', { form: { status: 'active', last_update_id: lastId }, auth: shiva });
    assert.deepEqual(again.presences, {}, 'nothing new since');
    assert.equal(again.presence_last_update_id, lastId);
    server.org.reportPresence(7, 'active');
    const next = await api(server, 'POST', '/users/me/presence', { form: { status: 'idle', last_update_id: lastId }, auth: shiva });
    assert.deepEqual(Object.keys(next.presences as Json), ['7'], 'only what changed');
    const ping = await api(server, 'POST', '/users/me/presence', { form: { status: 'active', ping_only: true }, auth: shiva });
    assert.deepEqual(Object.keys(ping).sort(), ['msg', 'result']);
    const legacy = await api(server, 'POST', '/users/me/presence', { form: { status: 'active' }, auth: shiva });
    assert.ok(at(legacy, 'presences', 'shiva@zulip.com') === undefined && at(legacy, 'presences', 'user6@zulip.testserver', 'website'), 'legacy form keyed by API email');
    assertZulipError(await call(server, 'POST', '/users/me/presence', { form: { status: 'away' }, auth: shiva }), 400, 'BAD_REQUEST', 'Invalid status: away');
    assertZulipError(await call(server, 'POST', '/users/me/presence', { form: {}, auth: shiva }), 400, 'REQUEST_VARIABLE_MISSING', "Missing 'status' argument");
    assertZulipError(await call(server, 'POST', '/users/me/presence', { form: { status: 'active' }, auth: credentialsOf(server, 23) }), 400, 'BAD_REQUEST', 'This endpoint does not accept bot requests.');
  });

  test('time moves: someone active goes offline; coming back sends a presence event', async () => {
    const queue = await register(server, { event_types: ['presence'] });
    const zoe = 17;
    const single = async () => at(await api(server, 'GET', `/users/${zoe}/presence`), 'presence', 'aggregated', 'status');
    assert.equal(await single(), 'active');
    await control(server, 'clock', { advance_seconds: OFFLINE_THRESHOLD_SECONDS + 60 });
    try {
      assert.equal(await single(), 'offline');
      await control(server, 'report-presence', { user_id: zoe, status: 'active' });
      assert.equal(await single(), 'active');
      const sent = await events(server, queue.queue_id);
      assert.equal(sent.length, 1);
      assert.deepEqual(Object.keys(sent[0]).sort(), ['email', 'id', 'presence', 'server_timestamp', 'type', 'user_id']);
      assert.equal(at(sent[0], 'presence', 'website', 'status'), 'active');
      await control(server, 'report-presence', { user_id: zoe, status: 'active' });
      assert.equal((await events(server, queue.queue_id)).length, 1, 'a repeated ping sends nothing more');
    } finally {
      await control(server, 'clock', { reset: true });
    }
  });

  test('presence_enabled off: an idle row from before the threshold, an event, and away in user_status', async () => {
    const queue = await register(server, { event_types: ['presence', 'user_status'] });
    await control(server, 'set-presence-enabled', { user_id: 5, enabled: false });
    const sent = await events(server, queue.queue_id);
    assert.deepEqual(sent.map((event) => event.type), ['presence', 'user_status']);
    assert.equal(at(sent[0], 'presence', 'website', 'status'), 'idle');
    assert.deepEqual(sent[1], { type: 'user_status', user_id: 5, away: true, id: 1 });
    await control(server, 'set-presence-enabled', { user_id: 5, enabled: true });
    const back = await events(server, queue.queue_id);
    assert.equal(at(back, 2, 'presence', 'website', 'status'), 'active');
  });

  test('control set-presence takes the modern form too, or forgets someone', async () => {
    const now = server.org.clock.unix();
    await control(server, 'set-presence', { user_id: 12, active_timestamp: now - 7200, idle_timestamp: now - 60 });
    const state = await register(server, { fetch_event_types: ['presence'], event_types: ['presence'], slim_presence: true });
    assert.deepEqual(at(state, 'presences', '12'), { active_timestamp: now - 7200, idle_timestamp: now - 60 });
    await control(server, 'set-presence', { user_id: 12, clear: true });
    assertZulipError(await call(server, 'GET', '/users/12/presence'), 400, 'BAD_REQUEST', 'No presence data for 12');
  });
});

describe('user status', () => {
  test('register: statuses of the seed (Unicode, custom and Zulip emoji, text only, emoji only)', async () => {
    const state = await register(server, { fetch_event_types: ['user_status'], event_types: ['user_status'] });
    const statuses = state.user_status as Json;
    assert.deepEqual(statuses['10'], { status_text: 'To be, or not to be', emoji_name: 'thinking', emoji_code: '1f914', reaction_type: 'unicode_emoji' });
    assert.deepEqual(statuses['11'], { status_text: 'Reviewing pull requests', emoji_name: 'green_tick', emoji_code: '1', reaction_type: 'realm_emoji' });
    assert.deepEqual(statuses['8'], { status_text: 'On vacation until Monday' });
    assert.deepEqual(statuses['17'], { emoji_name: 'palm_tree', emoji_code: '1f334', reaction_type: 'unicode_emoji' });
    assert.equal(statuses['12'], undefined, 'no status set');
  });

  test('POST /users/me/status sets, events go to every queue that asked, clearing sends empty strings', async () => {
    const cordelia = credentialsOf(server, 8);
    const asked = await register(server, { event_types: ['user_status'] });
    const other = await register(server, { event_types: ['user_status'] }, credentialsOf(server, 11));
    const notAsked = await register(server, { event_types: ['realm_user'] });
    await api(server, 'POST', '/users/me/status', { form: { status_text: ' Back at my desk ', emoji_name: 'computer' }, auth: cordelia });
    const expected = { type: 'user_status', user_id: 8, status_text: 'Back at my desk', emoji_name: 'computer', emoji_code: '1f4bb', reaction_type: 'unicode_emoji', id: 0 };
    assert.deepEqual(await events(server, asked.queue_id), [expected]);
    assert.deepEqual(await events(server, other.queue_id, credentialsOf(server, 11)), [expected]);
    assert.deepEqual(await events(server, notAsked.queue_id), []);
    assert.deepEqual(at(await api(server, 'GET', '/users/8/status'), 'status'), { status_text: 'Back at my desk', emoji_name: 'computer', emoji_code: '1f4bb', reaction_type: 'unicode_emoji' });
    await api(server, 'POST', '/users/me/status', { form: { status_text: '', emoji_name: '' }, auth: cordelia });
    assert.deepEqual(at(await events(server, asked.queue_id), 1), { type: 'user_status', user_id: 8, status_text: '', emoji_name: '', emoji_code: '', reaction_type: 'unicode_emoji', id: 1 });
    assert.deepEqual(at(await api(server, 'GET', '/users/8/status'), 'status'), {});
    const state = await register(server, { fetch_event_types: ['user_status'], event_types: ['user_status'] });
    assert.equal(at(state, 'user_status', '8'), undefined, 'a cleared status is not sent');
  });

  test("Zulip's errors, and no status for bots", async () => {
    const errors: Array<[CallOptions['form'], string]> = [
      [{}, 'Client did not pass any new values.'],
      [{ status_text: 'x'.repeat(61) }, 'status_text is too long (limit: 60 characters)'],
      [{ status_text: 'x', emoji_code: '1f697' }, 'Client must pass emoji_name if they pass either emoji_code or reaction_type.'],
      [{ emoji_name: 'invalid' }, "Emoji 'invalid' does not exist"],
      [{ emoji_name: 'old_logo', emoji_code: '3', reaction_type: 'realm_emoji' }, 'This custom emoji has been deactivated.'],
    ];
    for (const [form, msg] of errors) assertZulipError(await call(server, 'POST', '/users/me/status', { form }), 400, 'BAD_REQUEST', msg);
    assertZulipError(await call(server, 'POST', '/users/me/status', { form: { status_text: 'x' }, auth: credentialsOf(server, 23) }), 400, 'BAD_REQUEST', 'This endpoint does not accept bot requests.');
    assertZulipError(await call(server, 'GET', '/users/23/status'), 400, 'BAD_REQUEST', 'No such user');
  });

  test("every emoji of Zulip's status presets and of Set Status's list is known by name", async () => {
    const { statusPresets, COMMON_EMOJI } = await import('../../src/model/statusChoices');
    const hamlet = credentialsOf(server, 10);
    for (const emoji of [...statusPresets().map((preset) => preset.emoji), ...COMMON_EMOJI]) {
      await api(server, 'POST', '/users/me/status', { form: { emoji_name: emoji.name }, auth: hamlet });
      assert.equal(at(await api(server, 'GET', '/users/10/status'), 'status', 'emoji_code'), emoji.code, emoji.name);
    }
    await api(server, 'POST', '/users/me/status', { form: { status_text: 'To be, or not to be', emoji_name: 'thinking' }, auth: hamlet });
  });

  test('away through the status endpoint turns presence_enabled off and on', async () => {
    const zoe = credentialsOf(server, 14);
    const queue = await register(server, { event_types: ['user_status'] });
    await api(server, 'POST', '/users/me/status', { form: { away: true }, auth: zoe });
    assert.deepEqual(await events(server, queue.queue_id), [{ type: 'user_status', user_id: 14, away: true, id: 0 }]);
    assert.deepEqual(at(await api(server, 'GET', '/users/14/status'), 'status'), { away: true });
    assert.equal(server.org.getUser(14)?.presence_enabled, false);
    await api(server, 'POST', '/users/me/status', { form: { away: false }, auth: zoe });
    assert.equal(server.org.getUser(14)?.presence_enabled, true);
  });
});

describe('custom emoji', () => {
  test('GET /realm/emoji: every emoji, deactivated ones flagged, images served', async () => {
    const body = await api(server, 'GET', '/realm/emoji');
    assert.deepEqual(body.emoji, {
      '1': { id: '1', name: 'green_tick', source_url: '/user_avatars/2/emoji/images/1.png', deactivated: false, author_id: 5, still_url: null },
      '2': { id: '2', name: 'yorick', source_url: '/user_avatars/2/emoji/images/2.png', deactivated: false, author_id: 10, still_url: null },
      '3': { id: '3', name: 'old_logo', source_url: '/user_avatars/2/emoji/images/3.png', deactivated: true, author_id: null, still_url: null },
    });
    const image = await fetch(new URL('/user_avatars/2/emoji/images/1.png', server.url));
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/png');
    assert.deepEqual([...new Uint8Array(await image.arrayBuffer()).slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.equal((await fetch(new URL('/user_avatars/2/emoji/images/999.png', server.url))).status, 404);
  });

  test('adding and deactivating send realm_emoji updates', async () => {
    const queue = await register(server, { event_types: ['realm_emoji'], fetch_event_types: ['realm_emoji'] });
    assert.equal(at(queue, 'realm_emoji', '1', 'name'), 'green_tick');
    const added = await control(server, 'add-emoji', { name: 'party_parrot', author_id: 11 });
    await control(server, 'deactivate-emoji', { name: 'party_parrot' });
    const sent = await events(server, queue.queue_id);
    const id = String(at(added, 'emoji', 'id'));
    assert.deepEqual(sent.map((event) => at(event, 'realm_emoji', id, 'deactivated')), [false, true]);
    assert.ok(sent.every((event) => event.type === 'realm_emoji' && event.op === 'update'));
  });
});

describe('user groups', () => {
  test('GET /user_groups: system groups as Zulip names them; deactivated only when asked', async () => {
    const groups = (await api(server, 'GET', '/user_groups')).user_groups as Json[];
    const system = groups.filter((group) => group.is_system_group).map((group) => group.name);
    assert.deepEqual(system, ['role:internet', 'role:everyone', 'role:members', 'role:fullmembers', 'role:moderators', 'role:administrators', 'role:owners', 'role:nobody']);
    assert.ok(!groups.some((group) => group.name === 'old-team'));
    const all = (await api(server, 'GET', '/user_groups', { query: { include_deactivated_groups: true } })).user_groups as Json[];
    assert.equal(all.find((group) => group.name === 'old-team')?.deactivated, true);
    assert.deepEqual(all.find((group) => group.name === 'engineering')?.direct_subgroup_ids, [10, 13]);
    assertZulipError(await call(server, 'GET', '/user_groups', { auth: credentialsOf(server, 13) }), 400, 'BAD_REQUEST', 'Not allowed for guest users');
  });

  test('GET /user_groups/{id}/members: through subgroups, or direct only', async () => {
    assert.deepEqual((await api(server, 'GET', '/user_groups/10/members')).members, [5, 6, 8, 10, 11]);
    assert.deepEqual((await api(server, 'GET', '/user_groups/10/members', { query: { direct_member_only: true } })).members, [5, 11, 6]);
    assertZulipError(await call(server, 'GET', '/user_groups/999/members'), 400, 'BAD_REQUEST', 'Invalid user group');
  });

  test('POST /user_groups/{id}/members and the control API send every user_group event', async () => {
    const queue = await register(server, { event_types: ['user_group'], fetch_event_types: ['realm_user_groups'] });
    assert.ok((queue.realm_user_groups as Json[]).every((group) => group.deactivated === false), 'no deactivated groups without the capability');
    await api(server, 'POST', '/user_groups/9/members', { form: { add: [7], delete: [8] } });
    await api(server, 'POST', '/user_groups/9/members', { form: { add_subgroups: [13] } });
    await api(server, 'POST', '/user_groups/9/members', { form: { delete_subgroups: [13] } });
    const created = await control(server, 'create-group', { name: 'reviewers', description: 'Code review', members: [10, 11], creator_id: 10 });
    await control(server, 'update-group', { group_id: created.group_id, description: 'Reviews code', settings: { can_mention_group: { direct_members: [10], direct_subgroups: [] } } });
    await control(server, 'remove-group', { group_id: created.group_id });
    const sent = await events(server, queue.queue_id);
    assert.deepEqual(sent.map((event) => event.op), ['add_members', 'remove_members', 'add_subgroups', 'remove_subgroups', 'add', 'update', 'remove']);
    assert.deepEqual(sent[0], { type: 'user_group', group_id: 9, op: 'add_members', user_ids: [7], id: 0 });
    assert.deepEqual(sent[2], { type: 'user_group', group_id: 9, op: 'add_subgroups', direct_subgroup_ids: [13], id: 2 });
    assert.equal(at(sent[4], 'group', 'name'), 'reviewers');
    assert.deepEqual(at(sent[5], 'data'), { description: 'Reviews code', can_mention_group: { direct_members: [10], direct_subgroups: [] } });
    assert.deepEqual(sent[6], { type: 'user_group', op: 'remove', group_id: created.group_id, id: 6 });
    assertZulipError(await call(server, 'POST', '/user_groups/9/members', { form: { add: [10] } }), 400, 'BAD_REQUEST', 'User 10 is already a member of this group');
    assertZulipError(await call(server, 'POST', '/user_groups/2/members', { form: { add: [10] } }), 400, 'BAD_REQUEST', 'Insufficient permission');
  });

  test("a role change moves the member between system groups: remove_members, then add_members, as Zulip's do_change_user_role", async () => {
    const queue = await register(server, { event_types: ['user_group', 'realm_user'] });
    // Zoe (14) is a member (400): role:fullmembers (4) directly; as a moderator (300) she is in role:moderators (5).
    await control(server, 'update-user', { user_id: 14, change: { role: 300 } });
    const sent = await events(server, queue.queue_id);
    assert.deepEqual(
      sent.map((event) => [event.type, event.op, event.group_id ?? at(event, 'person', 'role'), event.user_ids]),
      [
        ['realm_user', 'update', 300, undefined],
        ['user_group', 'remove_members', 4, [14]],
        ['user_group', 'add_members', 5, [14]],
      ],
    );
    const groups = at(await api(server, 'GET', '/user_groups'), 'user_groups') as Json[];
    assert.ok((groups.find((g) => g.id === 5)?.members as number[]).includes(14));
    assert.ok(!(groups.find((g) => g.id === 4)?.members as number[]).includes(14));
    await control(server, 'update-user', { user_id: 14, change: { role: 400 } });
    assert.deepEqual(
      (await events(server, queue.queue_id))
        .slice(sent.length)
        .filter((e) => e.type === 'user_group')
        .map((e) => [e.op, e.group_id]),
      [
        ['remove_members', 5],
        ['add_members', 4],
      ],
    );
  });

  test("zulip.yaml's other group endpoints: create, update, deactivate, subgroups, membership", async () => {
    const queue = await register(server, { event_types: ['user_group'], client_capabilities: { include_deactivated_groups: true } });
    const created = await api(server, 'POST', '/user_groups/create', {
      form: { name: 'writers', description: 'Playwrights', members: [10, 12], subgroups: [9], can_mention_group: JSON.stringify({ direct_members: [10], direct_subgroups: [] }) },
    });
    const id = created.group_id as number;
    assert.ok(Number.isInteger(id));
    await api(server, 'PATCH', `/user_groups/${id}`, { form: { description: 'Playwrights and poets', can_mention_group: JSON.stringify({ new: 6 }) } });
    await api(server, 'POST', `/user_groups/${id}/subgroups`, { form: { add: [13], delete: [9] } });
    assert.deepEqual((await api(server, 'GET', `/user_groups/${id}/subgroups`)).subgroups, [13]);
    assert.equal((await api(server, 'GET', `/user_groups/${id}/members/17`)).is_user_group_member, true, 'through subgroup 13');
    assert.equal((await api(server, 'GET', `/user_groups/${id}/members/17`, { query: { direct_member_only: true } })).is_user_group_member, false);
    await api(server, 'POST', `/user_groups/${id}/deactivate`);
    assertZulipError(await call(server, 'POST', `/user_groups/${id}/deactivate`), 400, 'BAD_REQUEST', 'User group is already deactivated.');
    assertZulipError(await call(server, 'POST', '/user_groups/create', { form: { name: 'backend', description: 'x', members: [] } }), 400, 'BAD_REQUEST', "User group 'backend' already exists.");
    const sent = await events(server, queue.queue_id);
    assert.deepEqual(sent.map((event) => event.op), ['add', 'update', 'add_subgroups', 'remove_subgroups', 'update']);
    assert.deepEqual(at(sent[0], 'group', 'can_mention_group'), { direct_members: [10], direct_subgroups: [] });
    assert.equal(at(sent[0], 'group', 'creator_id'), 10);
    assert.deepEqual(sent[1].data, { description: 'Playwrights and poets', can_mention_group: 6 });
    assert.deepEqual(sent[4].data, { deactivated: true });
  });

  test('deactivation: a remove event without include_deactivated_groups, an update with it', async () => {
    const plain = await register(server, { event_types: ['user_group'] });
    const capable = await register(server, { event_types: ['user_group'], fetch_event_types: ['realm_user_groups'], client_capabilities: { include_deactivated_groups: true } });
    assert.ok((capable.realm_user_groups as Json[]).some((group) => group.name === 'old-team'));
    await control(server, 'update-group', { group_id: 11, deactivated: true });
    await control(server, 'update-group', { group_id: 11, name: 'Former villains' });
    assert.deepEqual(await events(server, plain.queue_id), [{ type: 'user_group', op: 'remove', group_id: 11, id: 0 }]);
    assert.deepEqual((await events(server, capable.queue_id)).map((event) => event.data), [{ deactivated: true }, { name: 'Former villains' }]);
    await control(server, 'update-group', { group_id: 11, deactivated: false, name: "Shakespeare's villains" });
  });
});

describe('feature levels', () => {
  test('250: no GET /users/{id}/status, legacy presence without last_update_id, older group shapes', async () => {
    const old = await startZulipServer({ port: 0, rateLimit: false, validateContract: true, featureLevel: 250 });
    try {
      assert.equal((await call(old, 'GET', '/users/10/status')).status, 404);
      const state = await register(old, { fetch_event_types: ['presence', 'realm_user_groups', 'user_status'], event_types: ['presence'] });
      assert.equal(state.presence_last_update_id, undefined);
      assert.ok(at(state, 'presences', 'hamlet@zulip.com', 'website'));
      const groups = state.realm_user_groups as Json[];
      assert.ok(!groups.some((group) => group.name === 'old-team'), 'no deactivated groups before 290');
      assert.ok(groups.every((group) => !('deactivated' in group) && !('creator_id' in group) && typeof group.can_mention_group === 'number'));
      const presence = await api(old, 'POST', '/users/me/presence', { form: { status: 'active', last_update_id: -1 } });
      assert.equal(presence.presence_last_update_id, undefined, 'last_update_id is unknown there');
      assert.ok(at(presence, 'presences', 'hamlet@zulip.com'), 'and so the legacy form');
      assert.deepEqual(old.contractViolations.filter((v) => v.includes('response')), []);
    } finally {
      await old.close();
    }
  });

  test('500: simplified presence events, single-user presence with both forms, is_imported_stub, is_deleted', async () => {
    const newer = await startZulipServer({ port: 0, rateLimit: false, validateContract: true, featureLevel: 500 });
    try {
      const simplified = await register(newer, { event_types: ['presence'], client_capabilities: { simplified_presence_events: true } });
      const legacy = await register(newer, { event_types: ['presence'] });
      newer.org.setPresence(12, 'active');
      const modernEvent = (await events(newer, simplified.queue_id))[0];
      assert.deepEqual(Object.keys(modernEvent).sort(), ['id', 'presences', 'type']);
      assert.deepEqual(Object.keys(at(modernEvent, 'presences', '12') as Json).sort(), ['active_timestamp', 'idle_timestamp']);
      assert.ok(at((await events(newer, legacy.queue_id))[0], 'presence', 'website'));
      const single = await api(newer, 'GET', '/users/10/presence');
      assert.deepEqual(Object.keys(single.presence as Json).sort(), ['active_timestamp', 'aggregated', 'idle_timestamp', 'website']);
      assert.equal(typeof single.server_timestamp, 'number');
      const users = (await api(newer, 'GET', '/users')).members as Json[];
      assert.equal(users.find((user) => user.user_id === 20)?.is_imported_stub, true);
      assert.equal(users.find((user) => user.user_id === 10)?.is_imported_stub, false);
      assert.equal(users.find((user) => user.user_id === 21)?.is_deleted, true);
      assert.ok(!('is_deleted' in (users.find((user) => user.user_id === 10) ?? {})), 'is_deleted only when true');
      await api(newer, 'GET', '/users/me');
      await api(newer, 'POST', '/register', { form: { event_types: ['realm_user'] } });
      assert.deepEqual(newer.contractViolations, []);
    } finally {
      await newer.close();
    }
  });

  test('372: none of the later fields, and legacy presence events even when the client asks for simplified ones', async () => {
    assert.ok(!('is_imported_stub' in ((await api(server, 'GET', '/users/20')).user as Json)));
    const queue = await register(server, { event_types: ['presence'], client_capabilities: { simplified_presence_events: true } });
    server.org.setPresence(12, 'active');
    const sent = await events(server, queue.queue_id);
    assert.equal(sent.length, 1);
    assert.equal(at(sent[0], 'presence', 'website', 'status'), 'active');
    assert.equal(sent[0].presences, undefined);
  });

  test('487: the modern single-user form alone', async () => {
    const atLevel = await startZulipServer({ port: 0, rateLimit: false, validateContract: true, featureLevel: FEATURE.SINGLE_PRESENCE_MODERN });
    try {
      const single = await api(atLevel, 'GET', '/users/10/presence');
      assert.deepEqual(Object.keys(single.presence as Json).sort(), ['active_timestamp', 'idle_timestamp']);
      assert.equal(single.server_timestamp, undefined);
      assert.deepEqual(atLevel.contractViolations, []);
    } finally {
      await atLevel.close();
    }
  });

  test('a restricted guest: "Unknown user" placeholders, or none with user_list_incomplete', async () => {
    const restricted = await startZulipServer({ port: 0, rateLimit: false, validateContract: true, guestsRestricted: true });
    try {
      const polonius = credentialsOf(restricted, 13);
      restricted.org.addGroupMembers(9, [13]);
      const placeholders = await register(restricted, { fetch_event_types: ['realm_user', 'user_status'], event_types: ['realm_user'] }, polonius);
      const users = placeholders.realm_users as Json[];
      assert.equal(users.find((user) => user.user_id === 10)?.full_name, 'King Hamlet', 'shares a group');
      assert.equal(users.find((user) => user.user_id === 11)?.full_name, 'Unknown user');
      assert.equal(at(placeholders, 'user_status', '11'), undefined, 'no status of someone inaccessible');
      const incomplete = await register(restricted, { fetch_event_types: ['realm_user'], event_types: ['realm_user'], client_capabilities: { user_list_incomplete: true } }, polonius);
      assert.ok(!(incomplete.realm_users as Json[]).some((user) => user.user_id === 11));
      const statuses = await register(restricted, { event_types: ['user_status'] }, polonius);
      await control(restricted, 'set-status', { user_id: 11, status_text: 'Scheming' });
      await control(restricted, 'set-status', { user_id: 10, status_text: 'Soliloquy' });
      assert.deepEqual((await events(restricted, statuses.queue_id, polonius)).map((event) => event.user_id), [10], 'status events only about accessible users');
      const usersBefore437 = (await api(restricted, 'GET', '/users', { auth: polonius })).members as Json[];
      assert.equal(usersBefore437.find((user) => user.user_id === 11)?.full_name, 'Unknown user', 'GET /users: placeholders before 437');
      const adds = await register(restricted, { event_types: ['realm_user'] }, polonius);
      const addsIncomplete = await register(restricted, { event_types: ['realm_user'], client_capabilities: { user_list_incomplete: true } }, polonius);
      await control(restricted, 'add-user', { full_name: 'Fortinbras', delivery_email: 'fortinbras@zulip.com' });
      assert.equal(at(await events(restricted, adds.queue_id, polonius), 0, 'person', 'full_name'), 'Unknown user');
      assert.deepEqual(await events(restricted, addsIncomplete.queue_id, polonius), [], 'nothing with user_list_incomplete');
      await control(restricted, 'settings', { feature_level: 440 });
      const usersAfter437 = (await api(restricted, 'GET', '/users', { auth: polonius })).members as Json[];
      assert.ok(!usersAfter437.some((user) => user.user_id === 11), 'GET /users: none from 437');
      assert.ok(usersAfter437.some((user) => user.user_id === 10));
      assert.deepEqual(restricted.contractViolations, []);
    } finally {
      await restricted.close();
    }
  });
});

describe('hostile corpus', () => {
  test('statuses, a second group and odd presence are served exactly as stored, and taken out again', async () => {
    const hostile = await startZulipServer({ port: 0, rateLimit: false, validateContract: true, hostileMembers: true });
    try {
      const text = (id: string) => HOSTILE_PEOPLE_VALUES.find((input) => input.id === id)?.text;
      const state = await register(hostile, { fetch_event_types: ['user_status', 'realm_user_groups', 'presence'], event_types: ['user_status'], slim_presence: true });
      const statuses = Object.values(state.user_status as Record<string, Json>);
      for (const id of ['status-html', 'status-markdown', 'status-icon', 'status-bidi']) {
        assert.ok(statuses.some((status) => status.status_text === text(id)), id);
      }
      assert.ok(statuses.some((status) => status.emoji_code === text('status-emoji-missing') && status.reaction_type === 'unicode_emoji'));
      assert.ok(statuses.some((status) => status.emoji_code === text('status-custom-emoji-missing') && status.reaction_type === 'realm_emoji'));
      assert.ok(text('status-bidi')?.includes('\u202E'), 'a real right-to-left override');
      const second = (state.realm_user_groups as Json[]).find((group) => group.name === text('group2-name'));
      assert.equal(second?.description, text('group2-description'));
      const now = hostile.org.clock.unix();
      const presences = Object.values(state.presences as Record<string, { active_timestamp: number; idle_timestamp: number }>);
      assert.ok(presences.some((presence) => presence.active_timestamp > now + 300 * 86_400), 'a timestamp a year ahead');
      const joined = Math.floor(Date.parse('2024-01-01T00:00:00Z') / 1000);
      assert.ok(presences.some((presence) => presence.active_timestamp === joined), 'never active: the join date stands in');
      await control(hostile, 'hostile', { remove: true });
      const after = await api(hostile, 'GET', '/user_groups');
      assert.ok(!(after.user_groups as Json[]).some((group) => group.name === text('group2-name')));
      assert.deepEqual(hostile.contractViolations, []);
    } finally {
      await hostile.close();
    }
  });
});
