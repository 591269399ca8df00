// The contract validator: the server's own traffic passes it, and wrong requests and wrong
// response bodies are reported (a validator that cannot fail proves nothing).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { loadContract, type Contract } from '../../server/contract';
import { call, credentialsOf } from './helpers';

let server: ZulipServer;
let contract: Contract;

before(async () => {
  server = await startZulipServer({ port: 0, generatedMembers: 300, validateContract: true, longPollTimeoutSeconds: 0.2, rateLimit: { limit: 1000, windowSeconds: 60 } });
  contract = await loadContract();
});

after(async () => {
  await server.close();
});

describe("the server's own traffic", () => {
  test('every endpoint, success and error, matches zulip.yaml', async () => {
    const iago = credentialsOf(server, 11);
    const polonius = credentialsOf(server, 13);
    const calls: Array<Promise<unknown>> = [
      call(server, 'GET', '/server_settings', { auth: null }),
      call(server, 'GET', '/users'),
      call(server, 'GET', '/users', { query: { client_gravatar: false, include_custom_profile_fields: true } }),
      call(server, 'GET', '/users', { auth: iago, query: { include_custom_profile_fields: true } }),
      call(server, 'GET', '/users', { auth: polonius }),
      call(server, 'GET', '/users/10', { query: { include_custom_profile_fields: true } }),
      call(server, 'GET', '/users/23'),
      call(server, 'GET', '/users/1'),
      call(server, 'GET', '/users/999999'),
      call(server, 'GET', `/users/${encodeURIComponent('iago@zulip.com')}`),
      call(server, 'GET', `/users/${encodeURIComponent('user12@zulip.testserver')}`),
      call(server, 'GET', `/users/${encodeURIComponent('nobody@example.com')}`),
      call(server, 'GET', '/users/me'),
      call(server, 'GET', '/users/me', { auth: credentialsOf(server, 23) }),
      call(server, 'GET', '/realm/profile_fields'),
      call(server, 'GET', '/realm/presence'),
      call(server, 'GET', '/users/10/presence'),
      call(server, 'GET', '/users/23/presence'),
      call(server, 'GET', '/users/12/presence'),
      call(server, 'GET', '/user_groups'),
      call(server, 'GET', '/user_groups', { query: { include_deactivated_groups: true } }),
      call(server, 'POST', '/jwt/fetch_api_key', { auth: null, form: { token: server.demo.jwt, include_profile: true } }),
      call(server, 'POST', '/jwt/fetch_api_key', { auth: null, form: { token: 'not.a.jwt' } }),
      call(server, 'POST', '/jwt/fetch_api_key', { auth: null, form: { token: await server.signJwt({ email: 'nobody@example.com' }) } }),
      call(server, 'GET', '/users', { auth: { email: server.demo.email, apiKey: 'x'.repeat(32) } }),
      call(server, 'GET', '/users', { auth: credentialsOf(server, 15) }),
    ];
    await Promise.all(calls);

    const registered = await call(server, 'POST', '/register', {
      form: { event_types: ['realm_user', 'custom_profile_fields', 'presence', 'realm_user_groups', 'realm'], slim_presence: true },
    });
    assert.equal(registered.json?.realm_default_code_block_language, '');
    assert.ok(Array.isArray(registered.json?.cross_realm_bots));
    assert.equal(registered.status, 200);
    await call(server, 'POST', '/register', { form: { fetch_event_types: ['presence'], event_types: ['presence'] } });
    const queueId = registered.json?.queue_id as string;
    // One event of every kind the server produces.
    server.org.updateUser(8, { full_name: 'Cordelia' });
    server.org.updateUser(8, { avatar_url: '/user_avatars/2/new.png' });
    server.org.updateUser(8, { avatar_url: null });
    server.org.updateUser(8, { timezone: 'Europe/Paris' });
    server.org.updateUser(23, { bot_owner_id: 10 });
    server.org.updateUser(8, { role: 300 });
    server.org.updateUser(7, { delivery_email: 'aaron.new@zulip.com' });
    server.org.updateUser(12, { email_address_visibility: 1 });
    server.org.updateUser(8, { custom_profile_field: { id: 3, value: 'Soup' } });
    server.org.updateUser(8, { custom_profile_field: { id: 4, value: '1' } });
    server.org.updateUser(8, { custom_profile_field: { id: 3, value: null } });
    server.org.updateUser(14, { is_active: false });
    server.org.updateUser(14, { is_active: true });
    server.org.addUser({ full_name: 'New Person', delivery_email: 'new.person@example.com' });
    server.org.addUser({ full_name: 'New Bot', is_bot: true, bot_type: 2, bot_owner_id: 10 });
    server.org.removeUser(19);
    server.org.setPresence(10, 'idle');
    server.org.setProfileFields(server.org.profileFieldsForApi());
    server.org.setDefaultCodeBlockLanguage('quote');
    server.org.setDefaultCodeBlockLanguage('');
    const polled = await call(server, 'GET', '/events', { query: { queue_id: queueId, last_event_id: -1 } });
    assert.ok((polled.json?.events as unknown[]).length >= 20, polled.text);
    assert.ok((polled.json?.events as Array<{ type: string }>).some((e) => e.type === 'realm'), 'a realm/update_dict event');
    await call(server, 'GET', '/events', { query: { queue_id: queueId, last_event_id: 1000 } }); // heartbeat
    await call(server, 'GET', '/events', { query: { queue_id: 'no-such-queue', last_event_id: -1 } });
    await call(server, 'DELETE', '/events', { query: { queue_id: queueId } });
    await call(server, 'DELETE', '/events', { query: { queue_id: queueId } });

    assert.deepEqual(server.contractViolations, []);
    assert.ok(server.requests.length >= 30, 'the checks ran on real traffic');
  });

  test('a rate-limited answer (fractional retry-after) matches zulip.yaml', async () => {
    const limited = await startZulipServer({ port: 0, validateContract: true, rateLimit: { limit: 1, windowSeconds: 30 } });
    try {
      await call(limited, 'GET', '/users/me');
      const refused = await call(limited, 'GET', '/users/me');
      assert.equal(refused.status, 429);
      assert.ok(!Number.isInteger(refused.json?.['retry-after']), 'fractional seconds');
      assert.deepEqual(limited.contractViolations, []);
    } finally {
      await limited.close();
    }
  });
});

describe('wrong requests are reported', () => {
  test('an unknown query parameter', () => {
    const check = contract.validateRequest('GET', '/users', new URLSearchParams({ client_gravatar: 'true', bogus: '1' }), undefined);
    assert.equal(check.operationId, 'get-users');
    assert.equal(check.violations.length, 1);
    assert.match(check.violations[0], /GET \/users request .*unknown query parameter 'bogus'/);
  });

  test('a parameter of the wrong type, JSON-decoded first', () => {
    assert.deepEqual(contract.validateRequest('GET', '/users', new URLSearchParams({ client_gravatar: 'false' }), undefined).violations, []);
    const notBool = contract.validateRequest('GET', '/users', new URLSearchParams({ client_gravatar: 'maybe' }), undefined);
    assert.match(notBool.violations.join('\n'), /client_gravatar/);
    assert.deepEqual(contract.validateRequest('GET', '/users', new URLSearchParams({ user_ids: '[1,2]' }), undefined).violations, []);
    const notInts = contract.validateRequest('GET', '/users', new URLSearchParams({ user_ids: '["a"]' }), undefined);
    assert.match(notInts.violations.join('\n'), /user_ids\/0: must be integer/);
    const notJson = contract.validateRequest('GET', '/users', new URLSearchParams({ user_ids: '1,2' }), undefined);
    assert.ok(notJson.violations.length > 0, 'user_ids must be JSON');
    const notList = contract.validateRequest('POST', '/register', new URLSearchParams(), new URLSearchParams({ event_types: '"realm_user"' }));
    assert.match(notList.violations.join('\n'), /event_types/);
  });

  test('an unknown form parameter, a missing required one', () => {
    const unknown = contract.validateRequest('POST', '/register', new URLSearchParams(), new URLSearchParams({ event_types: '["realm_user"]', colour: 'blue' }));
    assert.match(unknown.violations.join('\n'), /unknown form parameter 'colour'/);
    const noToken = contract.validateRequest('POST', '/jwt/fetch_api_key', new URLSearchParams(), new URLSearchParams({ include_profile: 'true' }));
    assert.match(noToken.violations.join('\n'), /missing required form parameter 'token'/);
    const noQueue = contract.validateRequest('GET', '/events', new URLSearchParams({ last_event_id: '3' }), undefined);
    assert.match(noQueue.violations.join('\n'), /missing required query parameter 'queue_id'/);
  });

  test('an unknown path or method', () => {
    const path = contract.validateRequest('GET', '/no_such_endpoint', new URLSearchParams(), undefined);
    assert.equal(path.operationId, undefined);
    assert.match(path.violations[0], /GET \/no_such_endpoint request: no operation of zulip.yaml matches/);
    const method = contract.validateRequest('PUT', '/users/me', new URLSearchParams(), undefined);
    assert.match(method.violations[0], /no operation of zulip.yaml matches \(zulip.yaml has/);
  });

  test('paths pick the operation whose parameters fit: /users/me, /users/{user_id}, /users/{email}', () => {
    const none = new URLSearchParams();
    assert.equal(contract.validateRequest('GET', '/users/me', none, undefined).operationId, 'get-own-user');
    assert.equal(contract.validateRequest('GET', '/users/12', none, undefined).operationId, 'get-user');
    assert.equal(contract.validateRequest('GET', '/users/iago%40zulip.com', none, undefined).operationId, 'get-user-by-email');
    assert.deepEqual(contract.validateRequest('GET', '/users/me', new URLSearchParams({ client_gravatar: 'true' }), undefined).violations.length, 1);
  });

  test('the server records violations of the requests it receives', async () => {
    const before = server.contractViolations.length;
    await call(server, 'GET', '/users', { query: { bogus: 1 } });
    await call(server, 'GET', '/nonexistent');
    const added = server.contractViolations.slice(before);
    assert.equal(added.length, 2, added.join('\n'));
    assert.match(added[0], /unknown query parameter 'bogus'/);
    assert.match(added[1], /\/nonexistent request: no operation/);
    server.contractViolations.length = before;
  });

  test('a JSON body is reported: Zulip reads form bodies only', async () => {
    const before = server.contractViolations.length;
    const response = await fetch(new URL('/api/v1/register', server.url), {
      method: 'POST',
      headers: { Authorization: 'Basic ' + Buffer.from(`${server.demo.email}:${server.demo.apiKey}`).toString('base64'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ event_types: ['realm_user'] }),
    });
    assert.equal(response.status, 200, 'Zulip itself ignores such a body');
    const added = server.contractViolations.slice(before);
    assert.equal(added.length, 1, added.join('\n'));
    assert.match(added[0], /POST \/register request: a body that is not application\/x-www-form-urlencoded/);
    server.contractViolations.length = before;
  });

  test('requests answered by a scripted fault are checked too', async () => {
    const before = server.contractViolations.length;
    server.faults.push({ kind: 'status', status: 503 });
    assert.equal((await call(server, 'GET', '/users', { query: { colour: 'red' } })).status, 503);
    const added = server.contractViolations.slice(before);
    assert.equal(added.length, 1, added.join('\n'));
    assert.match(added[0], /unknown query parameter 'colour'/);
    server.contractViolations.length = before;
  });
});

describe('wrong response bodies are reported', () => {
  const member = {
    email: 'a@example.com', user_id: 1, avatar_version: 1, is_admin: false, is_owner: false, is_guest: false, role: 400,
    is_bot: false, full_name: 'A', timezone: '', is_active: true, date_joined: '2020-01-01T00:00:00+00:00', delivery_email: null, avatar_url: null,
  };

  test('a correct body passes', () => {
    assert.deepEqual(contract.validateResponse('get-users', 200, { result: 'success', msg: '', members: [member] }), []);
  });

  test('a wrong type, an unknown property, a bad enum, a missing envelope', () => {
    const wrongType = contract.validateResponse('get-users', 200, { result: 'success', msg: '', members: [{ ...member, user_id: '1' }] });
    assert.match(wrongType.join('\n'), /GET \/users response 200 \(get-users\): body\/members\/0\/user_id: must be integer/);
    const extra = contract.validateResponse('get-users', 200, { result: 'success', msg: '', members: [{ ...member, nickname: 'x' }] });
    assert.match(extra.join('\n'), /unexpected property 'nickname'/);
    const role = contract.validateResponse('get-users', 200, { result: 'success', msg: '', members: [{ ...member, role: 500 }] });
    assert.match(role.join('\n'), /role: must be one of \[100,200,300,400,600\]/);
    const envelope = contract.validateResponse('get-users', 200, { members: [] });
    assert.match(envelope.join('\n'), /missing required 'result'/);
  });

  test('an error body without code, and a wrong BAD_EVENT_QUEUE_ID body', () => {
    assert.ok(contract.validateResponse('get-user', 400, { result: 'error', msg: 'No such user' }).length > 0);
    assert.deepEqual(contract.validateResponse('get-user', 400, { result: 'error', msg: 'No such user', code: 'BAD_REQUEST' }), []);
    assert.ok(contract.validateResponse('get-events', 400, { result: 'error', msg: 'x', code: 'BAD_EVENT_QUEUE_ID', queue_id: 5 }).length > 0);
  });

  test('an event that is no event of zulip.yaml', () => {
    const good = { result: 'success', msg: '', queue_id: 'q', events: [{ type: 'heartbeat', id: 1 }] };
    assert.deepEqual(contract.validateResponse('get-events', 200, good), []);
    const bad = { ...good, events: [{ type: 'realm_user', op: 'update', id: 2, person: { user_id: 3, full_name: 7 } }] };
    assert.match(contract.validateResponse('get-events', 200, bad).join('\n'), /events\/0/);
  });

  test('the JWT supplement: avatar_url must be set, profile_data must not be there', () => {
    const user = { ...member, avatar_url: 'https://example.com/a.png', delivery_email: 'a@example.com' };
    const ok = { result: 'success', msg: '', api_key: 'k', email: 'a@example.com', user };
    assert.deepEqual(contract.validateResponse('jwt-fetch-api-key', 200, ok), []);
    assert.ok(contract.validateResponse('jwt-fetch-api-key', 200, { ...ok, user: { ...user, avatar_url: null } }).length > 0);
    assert.ok(contract.validateResponse('jwt-fetch-api-key', 200, { ...ok, user: { ...user, profile_data: {} } }).length > 0);
    assert.ok(contract.validateResponse('jwt-fetch-api-key', 200, { result: 'success', msg: '', email: 'a@example.com' }).length > 0);
  });
});
