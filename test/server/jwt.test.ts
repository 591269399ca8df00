// POST /jwt/fetch_api_key: success, include_profile, and every error row of API-NOTES.md.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { DEFAULT_JWT_KEY, startZulipServer, type ZulipServer } from '../../server/app';
import { assertZulipError, call, rawRequest, withServer } from './helpers';
import type { ApiKeyAnswer } from './wire';

let server: ZulipServer;

before(async () => {
  server = await startZulipServer({ port: 0 });
});

after(async () => {
  await server.close();
});

function fetchKey(target: ZulipServer, form: Record<string, string | boolean>) {
  return call<ApiKeyAnswer>(target, 'POST', '/jwt/fetch_api_key', { auth: null, form });
}

describe('success', () => {
  test("the demo token yields the demo user's key and real email", async () => {
    const result = await fetchKey(server, { token: server.demo.jwt });
    assert.equal(result.status, 200);
    assert.deepEqual(result.json, { result: 'success', msg: '', api_key: server.demo.apiKey, email: server.demo.email });
  });

  test('include_profile adds the user, with avatar_url always set and no profile_data', async () => {
    const result = await fetchKey(server, { token: server.demo.jwt, include_profile: true });
    const user = result.json!.user!;
    assert.equal(user.user_id, 10);
    assert.equal(user.delivery_email, 'hamlet@zulip.com');
    assert.match(user.avatar_url!, /^https:\/\/secure\.gravatar\.com\/avatar\//, 'a Gravatar user still gets a URL');
    assert.equal('profile_data' in user, false);
  });

  test('the token email is matched case-insensitively; the answer has the stored address', async () => {
    const result = await fetchKey(server, { token: await server.signJwt({ email: 'Aaron@Zulip.COM' }) });
    assert.equal(result.status, 200);
    assert.equal(result.json!.email, 'AARON@zulip.com');
  });

  test('the key works for Basic auth', async () => {
    const { api_key, email } = (await fetchKey(server, { token: await server.signJwt({ email: 'iago@zulip.com' }) })).json!;
    const me = await call(server, 'GET', '/users/me', { auth: { email, apiKey: api_key } });
    assert.equal(me.json!.full_name, 'Iago');
  });

  test('no Authorization header is needed, and none is rate-limited', async () => {
    const result = await fetchKey(server, { token: server.demo.jwt });
    assert.equal(result.headers.get('x-ratelimit-limit'), null);
  });
});

describe('every error row', () => {
  test('host is no organization: 404 NONEXISTENT_SUBDOMAIN', async () => {
    const result = await rawRequest(server, {
      method: 'POST',
      path: '/api/v1/jwt/fetch_api_key',
      headers: { Host: 'nosuchorg.example.com', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: server.demo.jwt }).toString(),
    });
    assert.equal(result.status, 404);
    assert.deepEqual(JSON.parse(result.text), { result: 'error', msg: 'Invalid subdomain', code: 'NONEXISTENT_SUBDOMAIN' });
  });

  test('JWT login not enabled: 400', async () => {
    await withServer({ jwtEnabled: false }, async (closed) => {
      assertZulipError(await fetchKey(closed, { token: closed.demo.jwt }), 400, 'BAD_REQUEST', 'JWT authentication is not enabled for this organization');
    });
  });

  test('no token: 400', async () => {
    assertZulipError(await fetchKey(server, {}), 400, 'BAD_REQUEST', 'No JSON web token passed in request');
    assertZulipError(await fetchKey(server, { token: '' }), 400, 'BAD_REQUEST', 'No JSON web token passed in request');
  });

  test('bad signature, wrong algorithm, malformed, expired: 400 "Bad JSON web token"', async () => {
    const key = new TextEncoder().encode(DEFAULT_JWT_KEY);
    const unsigned = [Buffer.from('{"alg":"none","typ":"JWT"}'), Buffer.from(JSON.stringify({ email: server.demo.email }))]
      .map((part) => part.toString('base64url'))
      .join('.') + '.';
    const tokens = {
      'bad signature': await server.signJwt({ email: server.demo.email }, 'some-other-key'),
      'wrong algorithm (HS512)': await new SignJWT({ email: server.demo.email }).setProtectedHeader({ alg: 'HS512' }).sign(key),
      'unsigned (alg none)': unsigned,
      malformed: 'not-a-token',
      'three garbage parts': 'abc.def.ghi',
      expired: await server.signJwt({ email: server.demo.email }, { expiresIn: -60 }),
    };
    for (const [name, token] of Object.entries(tokens)) {
      const result = await fetchKey(server, { token });
      assert.equal(result.status, 400, name);
      assert.deepEqual(result.json, { result: 'error', msg: 'Bad JSON web token', code: 'BAD_REQUEST' }, name);
    }
    const stillValid = await fetchKey(server, { token: await server.signJwt({ email: server.demo.email }, { expiresIn: 60 }) });
    assert.equal(stillValid.status, 200, 'an unexpired token with exp works');
  });

  test('no email claim: 400', async () => {
    assertZulipError(await fetchKey(server, { token: await server.signJwt({ sub: 'hamlet' }) }), 400, 'BAD_REQUEST', 'No email specified in JSON web token claims');
  });

  test('unknown user, including the placeholder address: 401 AUTHENTICATION_FAILED', async () => {
    for (const email of ['nobody@example.com', 'user10@zulip.testserver']) {
      assertZulipError(await fetchKey(server, { token: await server.signJwt({ email }) }), 401, 'AUTHENTICATION_FAILED', 'Your username or password is incorrect');
    }
  });

  test('user deactivated: 401 USER_DEACTIVATED', async () => {
    assertZulipError(await fetchKey(server, { token: await server.signJwt({ email: server.deactivatedEmail }) }), 401, 'USER_DEACTIVATED', 'Account is deactivated');
  });

  test('organization deactivated: 401 REALM_DEACTIVATED', async () => {
    await withServer({}, async (other) => {
      other.org.realm.deactivated = true;
      assertZulipError(await fetchKey(other, { token: other.demo.jwt }), 401, 'REALM_DEACTIVATED', 'This organization has been deactivated');
    });
  });

  test('a server with another key refuses tokens signed with the default one', async () => {
    await withServer({ jwtKey: 'a-different-organization-key' }, async (other) => {
      assertZulipError(await fetchKey(other, { token: server.demo.jwt }), 400, 'BAD_REQUEST', 'Bad JSON web token');
      assert.equal((await fetchKey(other, { token: other.demo.jwt })).status, 200);
    });
  });

  test('before feature level 160 the endpoint does not exist', async () => {
    await withServer({ featureLevel: 159 }, async (old) => {
      assertZulipError(await fetchKey(old, { token: old.demo.jwt }), 404, 'BAD_REQUEST', 'Not Found');
    });
  });
});
