// Basic authentication failures and per-user rate limiting.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { assertZulipError, call, credentialsOf, rawRequest, withServer, type ApiResult } from './helpers';
import type { ZulipAnswer } from './wire';

let server: ZulipServer;

before(async () => {
  server = await startZulipServer({ port: 0 });
});

after(async () => {
  await server.close();
});

function assertUnauthorized(result: ApiResult, msg: string): void {
  assertZulipError(result, 401, 'UNAUTHORIZED', msg);
  assert.equal(result.headers.get('www-authenticate'), 'Basic realm="zulip"');
}

describe('authentication', () => {
  test('the demo credentials work', async () => {
    const result = await call(server, 'GET', '/users/me');
    assert.equal(result.status, 200);
    assert.equal(result.json!.email, server.demo.email);
  });

  test('missing or malformed Authorization: 401', async () => {
    assertUnauthorized(await call(server, 'GET', '/users/me', { auth: null }), 'Missing authorization header for basic auth');
    assertUnauthorized(await call(server, 'GET', '/users/me', { auth: null, headers: { Authorization: 'Bearer abc' } }), 'Invalid authorization header for basic auth');
    assertUnauthorized(
      await call(server, 'GET', '/users/me', { auth: null, headers: { Authorization: 'Basic ' + Buffer.from('no-colon').toString('base64') } }),
      'Invalid authorization header for basic auth',
    );
  });

  test('a wrong key, an unknown email, the placeholder email: "Invalid API key"', async () => {
    assertUnauthorized(await call(server, 'GET', '/users/me', { auth: { email: server.demo.email, apiKey: 'A'.repeat(32) } }), 'Invalid API key');
    assertUnauthorized(await call(server, 'GET', '/users/me', { auth: { email: 'nobody@zulip.com', apiKey: server.demo.apiKey } }), 'Invalid API key');
    // Prospero's placeholder API email is not a login, even with his own key.
    const prospero = credentialsOf(server, 12);
    assertUnauthorized(await call(server, 'GET', '/users/me', { auth: { email: 'user12@zulip.testserver', apiKey: prospero.apiKey } }), 'Invalid API key');
    assert.equal((await call(server, 'GET', '/users/me', { auth: prospero })).status, 200, 'his real address works');
  });

  test('the email is matched case-insensitively', async () => {
    const aaron = credentialsOf(server, 7);
    assert.equal(aaron.email, 'AARON@zulip.com');
    const result = await call(server, 'GET', '/users/me', { auth: { email: 'aaron@zulip.com', apiKey: aaron.apiKey } });
    assert.equal(result.status, 200);
    assert.equal(result.json!.user_id, 7);
  });

  test('a deactivated member: 401 "Account is deactivated"', async () => {
    const ophelia = credentialsOf(server, 15);
    assertUnauthorized(await call(server, 'GET', '/users', { auth: ophelia }), 'Account is deactivated');
    server.org.reactivateUser(15);
    try {
      assert.equal((await call(server, 'GET', '/users/me', { auth: ophelia })).status, 200);
    } finally {
      server.org.deactivateUser(15);
    }
    assertUnauthorized(await call(server, 'GET', '/users/me', { auth: ophelia }), 'Account is deactivated');
  });

  test('a deactivated organization and a host that is no organization: 401', async () => {
    await withServer({}, async (other) => {
      other.org.realm.deactivated = true;
      assertUnauthorized(await call(other, 'GET', '/users/me'), 'This organization has been deactivated');
    });
    const result = await rawRequest(server, {
      method: 'GET',
      path: '/api/v1/users/me',
      headers: { Host: 'elsewhere.example.com', Authorization: 'Basic ' + Buffer.from(`${server.demo.email}:${server.demo.apiKey}`).toString('base64') },
    });
    assert.equal(result.status, 401);
    assert.equal((JSON.parse(result.text) as ZulipAnswer).msg, 'Account is not associated with this subdomain');
    assert.equal(result.headers['www-authenticate'], 'Basic realm="zulip"');
  });

  test('keys never appear in the request log', async () => {
    await call(server, 'GET', '/users/me');
    const logged = JSON.stringify(server.requests);
    assert.ok(logged.includes(server.demo.email), 'the email is logged');
    assert.ok(!logged.includes(server.demo.apiKey));
  });
});

describe('rate limiting', () => {
  test('every authenticated answer carries the headers; Reset is absolute UNIX seconds', async () => {
    const first = await call(server, 'GET', '/users/me', { auth: credentialsOf(server, 14) });
    const second = await call(server, 'GET', '/users/me', { auth: credentialsOf(server, 14) });
    assert.equal(first.headers.get('x-ratelimit-limit'), '200');
    assert.equal(Number(first.headers.get('x-ratelimit-remaining')), 199);
    assert.equal(Number(second.headers.get('x-ratelimit-remaining')), 198);
    const reset = Number(first.headers.get('x-ratelimit-reset'));
    const now = Date.now() / 1000;
    assert.ok(reset > now - 1 && reset <= now + 61, `reset ${reset} vs now ${now}`);
  });

  test('over the limit: 429 RATE_LIMIT_HIT with Retry-After and retry-after, per user', async () => {
    await withServer({ rateLimit: { limit: 3, windowSeconds: 2 } }, async (limited) => {
      for (let i = 0; i < 3; i++) assert.equal((await call(limited, 'GET', '/users/me')).status, 200);
      const refused = await call(limited, 'GET', '/users/me');
      assertZulipError(refused, 429, 'RATE_LIMIT_HIT', 'API usage exceeded rate limit');
      const retryAfter = refused.json!['retry-after'] as number;
      assert.ok(retryAfter > 0 && retryAfter <= 2, `retry-after ${retryAfter}`);
      assert.equal(Number(refused.headers.get('retry-after')), retryAfter);
      assert.equal(refused.headers.get('x-ratelimit-remaining'), '0');
      assert.equal(refused.headers.get('x-ratelimit-limit'), '3');
      // Another member has their own budget.
      assert.equal((await call(limited, 'GET', '/users/me', { auth: credentialsOf(limited, 11) })).status, 200);
      // Unauthenticated endpoints are not limited per user.
      assert.equal((await call(limited, 'GET', '/server_settings', { auth: null })).status, 200);
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 50));
      assert.equal((await call(limited, 'GET', '/users/me')).status, 200, 'allowed again after Retry-After');
    });
  });

  test('rateLimit: false disables it', async () => {
    await withServer({ rateLimit: false }, async (unlimited) => {
      const result = await call(unlimited, 'GET', '/users/me');
      assert.equal(result.status, 200);
      assert.equal(result.headers.get('x-ratelimit-limit'), null);
    });
  });
});
