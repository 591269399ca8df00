// The /__control/ API, used over HTTP the way a test in another process would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { call, type ApiResult } from './helpers';

let server: ZulipServer;

before(async () => {
  server = await startZulipServer({ port: 0, validateContract: true, longPollTimeoutSeconds: 5 });
});

after(async () => {
  await server.close();
});

/** What the control endpoints used here answer. */
interface Answer {
  ok: boolean;
  error: string;
  url: string;
  demo: { email: string };
  feature_level: number;
  members: number;
  pending: number;
  faults: Array<{ remaining: number }>;
  api_key: string;
  email: string;
  user_id: number;
  jwt: string;
  token: string;
  expired: number;
  fields: unknown[];
  requests: Array<{ at: number } & Record<string, unknown>>;
  violations: string[];
}

/** An API answer's JSON with the fields a test reads. */
function answerOf<T>(result: ApiResult): T {
  assert.ok(result.json, result.text);
  return result.json as T;
}

async function control(method: 'GET' | 'POST', name: string, body?: unknown): Promise<{ status: number; json: Answer }> {
  const response = await fetch(new URL(`/__control/${name}`, server.url), {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Answer };
}

describe('control API', () => {
  test('state tells where the server is and who the demo user is', async () => {
    const { status, json } = await control('GET', 'state');
    assert.equal(status, 200);
    assert.equal(json.ok, true);
    assert.equal(json.url, server.url);
    assert.equal(json.demo.email, server.demo.email);
    assert.equal(json.feature_level, 372);
    assert.equal(json.members, server.org.size);
  });

  test('faults and clear-faults', async () => {
    assert.equal((await control('POST', 'faults', { fault: { kind: 'status', status: 503 }, count: 2, path: '/users' })).json.pending, 1);
    assert.equal((await call(server, 'GET', '/users/me')).status, 503);
    assert.equal((await control('GET', 'faults')).json.faults[0].remaining, 1);
    await control('POST', 'clear-faults');
    assert.equal((await call(server, 'GET', '/users/me')).status, 200);
    const bad = await control('POST', 'faults', { fault: { kind: 'nope' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.ok, false);
    assert.match(bad.json.error, /Unknown fault kind/);
  });

  test('update-user changes the organization and reaches a waiting long-poll', async () => {
    const { queue_id } = answerOf<{ queue_id: string }>(await call(server, 'POST', '/register', { form: { event_types: ['realm_user'] } }));
    const pending = call(server, 'GET', '/events', { query: { queue_id, last_event_id: -1 } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const updated = await control('POST', 'update-user', { user_id: 11, change: { full_name: 'Iago the Ensign' } });
    assert.equal(updated.json.ok, true);
    const { events } = answerOf<{ events: Array<{ person: unknown }> }>(await pending);
    assert.deepEqual(events[0].person, { user_id: 11, full_name: 'Iago the Ensign' });
    assert.equal(answerOf<{ user: { full_name: string } }>(await call(server, 'GET', '/users/11')).user.full_name, 'Iago the Ensign');
    const invalid = await control('POST', 'update-user', { user_id: 999999, change: { full_name: 'x' } });
    assert.equal(invalid.status, 400);
    assert.match(invalid.json.error, /No such user/);
  });

  test('add-user returns working credentials; remove-user removes', async () => {
    const added = await control('POST', 'add-user', { full_name: 'Horatio', delivery_email: 'horatio@zulip.com', role: 600 });
    assert.equal(added.json.ok, true);
    assert.match(added.json.api_key, /^[A-Za-z0-9]{32}$/);
    const me = answerOf<{ full_name: string; is_guest: boolean }>(await call(server, 'GET', '/users/me', { auth: { email: added.json.email, apiKey: added.json.api_key } }));
    assert.equal(me.full_name, 'Horatio');
    assert.equal(me.is_guest, true);
    await control('POST', 'remove-user', { user_id: added.json.user_id });
    assert.equal((await call(server, 'GET', `/users/${added.json.user_id}`)).status, 400);
  });

  test('credentials and jwt make tokens for any member, good or bad', async () => {
    const iago = await control('POST', 'credentials', { user_id: 11 });
    assert.equal(iago.json.email, 'iago@zulip.com');
    const exchanged = await call(server, 'POST', '/jwt/fetch_api_key', { auth: null, form: { token: iago.json.jwt } });
    assert.equal(answerOf<{ api_key: string }>(exchanged).api_key, iago.json.api_key);
    const expired = await control('POST', 'jwt', { claims: { email: 'iago@zulip.com' }, expires_in: -10 });
    const refused = await call(server, 'POST', '/jwt/fetch_api_key', { auth: null, form: { token: expired.json.token } });
    assert.equal(answerOf<{ msg: string }>(refused).msg, 'Bad JSON web token');
  });

  test('expire-queues makes every queue BAD_EVENT_QUEUE_ID', async () => {
    const { queue_id } = answerOf<{ queue_id: string }>(await call(server, 'POST', '/register', { form: { event_types: ['presence'] } }));
    assert.ok((await control('POST', 'expire-queues')).json.expired >= 1);
    const result = await call(server, 'GET', '/events', { query: { queue_id, dont_block: true } });
    assert.equal(answerOf<{ code: string }>(result).code, 'BAD_EVENT_QUEUE_ID');
  });

  test('set-presence and set-profile-fields', async () => {
    // Within the two weeks of presence Zulip sends.
    const anHourAgo = server.org.clock.unix() - 3600;
    await control('POST', 'set-presence', { user_id: 12, status: 'idle', timestamp: anHourAgo });
    const presence = answerOf<{ presences: Record<string, { aggregated: unknown }> }>(await call(server, 'GET', '/realm/presence'));
    assert.deepEqual(presence.presences['user12@zulip.testserver'].aggregated, { client: 'website', status: 'idle', timestamp: anHourAgo });
    const profileFields = async () => answerOf<{ custom_fields: unknown[] }>(await call(server, 'GET', '/realm/profile_fields')).custom_fields;
    const fields = await profileFields();
    const result = await control('POST', 'set-profile-fields', { fields: fields.slice(0, 2) });
    assert.equal(result.json.fields.length, 2);
    assert.equal((await profileFields()).length, 2);
    await control('POST', 'set-profile-fields', { fields });
  });

  test('settings change the feature level, JWT and the rate limit', async () => {
    await control('POST', 'settings', { feature_level: 384, rate_limit: { limit: 2, window_seconds: 60 } });
    try {
      const filtered = await call(server, 'GET', '/users', { query: { user_ids: [10] } });
      assert.deepEqual(answerOf<{ members: Array<{ user_id: number }> }>(filtered).members.map((m) => m.user_id), [10]);
      assert.equal((await call(server, 'GET', '/users/me')).status, 200);
      assert.equal((await call(server, 'GET', '/users/me')).status, 429);
    } finally {
      await control('POST', 'settings', { feature_level: 372, rate_limit: { limit: 200, window_seconds: 60 } });
    }
    await control('POST', 'settings', { jwt_enabled: false });
    const disabled = await call(server, 'POST', '/jwt/fetch_api_key', { auth: null, form: { token: server.demo.jwt } });
    assert.equal(answerOf<{ msg: string }>(disabled).msg, 'JWT authentication is not enabled for this organization');
    await control('POST', 'settings', { jwt_enabled: true });
  });

  test('requests, reset-requests; control calls are not logged', async () => {
    await control('POST', 'reset-requests');
    await call(server, 'GET', '/users', { query: { client_gravatar: false } });
    const { json } = await control('GET', 'requests');
    const [{ at, ...entry }] = json.requests;
    assert.deepEqual([entry], [{ method: 'GET', path: '/api/v1/users', query: { client_gravatar: 'false' }, authEmail: server.demo.email, status: 200 }]);
    assert.equal(typeof at, 'number');
    await control('POST', 'reset-requests');
    assert.deepEqual((await control('GET', 'requests')).json.requests, []);
  });

  test('contract-violations lists what the server saw', async () => {
    await control('POST', 'reset-contract-violations');
    assert.deepEqual((await control('GET', 'contract-violations')).json.violations, []);
    await call(server, 'GET', '/users', { query: { nonsense: 1 } });
    const { violations } = (await control('GET', 'contract-violations')).json;
    assert.equal(violations.length, 1);
    assert.match(violations[0], /unknown query parameter 'nonsense'/);
    await control('POST', 'reset-contract-violations');
  });

  test('unknown endpoints and bad JSON', async () => {
    const unknown = await control('POST', 'launch-rockets', {});
    assert.equal(unknown.status, 404);
    const response = await fetch(new URL('/__control/update-user', server.url), { method: 'POST', body: '{not json' });
    assert.equal(response.status, 400);
  });

  test('nothing under /api reaches the control API', async () => {
    const result = await call(server, 'GET', '/api/v1/__control/state');
    assert.equal(result.status, 404);
  });
});
