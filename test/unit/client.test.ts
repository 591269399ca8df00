// The Zulip client against the repository's Zulip-compatible server, over real sockets. Every
// request the client sends and every response it gets are checked against zulip.yaml
// (validateContract), and the last test fails if any of them did not match.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { ZulipClient } from '../../src/zulip/client';
import { ZulipError } from '../../src/zulip/errors';

let server: ZulipServer;
/** Every error message the tests saw: none may contain a secret. */
const messages: string[] = [];

async function failure(promise: Promise<unknown>): Promise<ZulipError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ZulipError, `expected a ZulipError, got ${String(error)}`);
    messages.push(error.message);
    return error;
  }
  assert.fail('expected the call to fail');
}

function client(options: Partial<ConstructorParameters<typeof ZulipClient>[0]> = {}): ZulipClient {
  return new ZulipClient({ site: server.url, email: server.demo.email, apiKey: server.demo.apiKey, timeoutMs: 5000, userAgent: 'ZulipForVSCode/test', ...options });
}

/** A plain HTTP server for what the Zulip server does not do (foreign hosts, gzip, headers). */
async function rawServer(handler: (req: { url: string; headers: IncomingHttpHeaders }, res: import('node:http').ServerResponse) => void): Promise<{ url: string; server: Server; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const raw = createServer((req, res) => {
    seen.push(req.headers);
    handler({ url: req.url ?? '', headers: req.headers }, res);
  });
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(raw.address() as AddressInfo).port}`, server: raw, seen };
}

before(async () => {
  server = await startZulipServer({ port: 0, generatedMembers: 50, validateContract: true });
});

after(async () => {
  await server.close();
});

describe('endpoints', () => {
  test('GET /server_settings needs no credentials and says which server this is', async () => {
    const settings = await new ZulipClient({ site: server.url }).getServerSettings();
    assert.equal(typeof settings.zulip_feature_level, 'number');
    assert.ok(settings.zulip_feature_level > 0);
    assert.ok(settings.realm_name);
  });

  test('GET /users returns the seeded and generated members, with Gravatar and profile data as asked', async () => {
    const members = await client().getUsers({ clientGravatar: true, includeCustomProfileFields: true });
    assert.ok(members.length >= 50);
    const hamlet = members.find((m) => m.full_name === 'King Hamlet');
    assert.ok(hamlet, 'King Hamlet is seeded');
    assert.ok(members.some((m) => m.avatar_url === null), 'client_gravatar leaves some avatars to the client');
    assert.ok(members.some((m) => m.profile_data && Object.keys(m.profile_data).length > 0), 'custom profile data included');
    assert.ok(members.some((m) => m.is_bot) && members.some((m) => !m.is_active));
    const plain = await client().getUsers({ clientGravatar: false, includeCustomProfileFields: false });
    assert.ok(plain.every((m) => m.avatar_url !== null), 'no Gravatar left to compute');
    assert.ok(plain.every((m) => m.profile_data === undefined || Object.keys(m.profile_data).length === 0));
  });

  test('user_ids is sent only to servers at feature level 384 or more', async () => {
    const old = await startZulipServer({ port: 0, featureLevel: 372, validateContract: true });
    const modern = await startZulipServer({ port: 0, featureLevel: 384 });
    try {
      const ids = [old.demo.userId, 8].filter(Boolean);
      const fromOld = await new ZulipClient({ site: old.url, email: old.demo.email, apiKey: old.demo.apiKey }).getUsers({ userIds: ids });
      assert.deepEqual(fromOld.map((u) => u.user_id).sort(), [...new Set(ids)].sort(), 'filtered locally');
      assert.ok(old.requests.every((r) => !('user_ids' in r.query)), 'not sent to level 372');
      const fromModern = await new ZulipClient({ site: modern.url, email: modern.demo.email, apiKey: modern.demo.apiKey }).getUsers({ userIds: ids });
      assert.deepEqual(fromModern.map((u) => u.user_id).sort(), [...new Set(ids)].sort());
      assert.ok(modern.requests.some((r) => r.path.endsWith('/users') && r.query.user_ids === JSON.stringify(ids)), 'sent as JSON to level 384');
      assert.deepEqual(old.contractViolations, []);
    } finally {
      await old.close();
      await modern.close();
    }
  });

  test('GET /users/{id}, /users/{email} (real and placeholder) and /users/me', async () => {
    const c = client();
    const me = await c.getOwnUser();
    assert.equal(me.delivery_email, server.demo.email);
    const byId = await c.getUser(me.user_id, { includeCustomProfileFields: true });
    assert.equal(byId.full_name, me.full_name);
    const byEmail = await c.getUserByEmail(server.demo.email);
    assert.equal(byEmail.user_id, me.user_id);
    const hidden = (await c.getUsers()).find((m) => /^user\d+@/.test(m.email));
    assert.ok(hidden, 'some member hides their address');
    const byPlaceholder = await c.getUserByEmail(hidden.email);
    assert.equal(byPlaceholder.user_id, hidden.user_id);
    const missing = await failure(c.getUser(999_999));
    assert.equal(missing.kind, 'api');
    assert.equal(missing.status, 400);
    assert.match(missing.message, /No such user/);
    assert.match(missing.message, new RegExp(`${server.url}/api/v1/users/999999`));
  });

  test('an email with + and other reserved characters is URL-encoded', async () => {
    const error = await failure(client().getUserByEmail('no+one/../x@example.com'));
    assert.equal(error.status, 400);
    assert.ok(server.requests.some((r) => r.path === '/api/v1/users/no%2Bone%2F..%2Fx%40example.com'), 'one encoded path segment');
  });

  test('GET /realm/profile_fields comes in display order', async () => {
    const fields = await client().getProfileFields();
    assert.ok(fields.length >= 8);
    assert.deepEqual(fields.map((f) => f.order), [...fields.map((f) => f.order)].sort((a, b) => a - b));
    assert.deepEqual([...new Set(fields.map((f) => f.type))].sort(), [1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('presence and user groups', async () => {
    const presence = await client().getRealmPresence();
    assert.equal(typeof presence.server_timestamp, 'number');
    assert.ok(Object.keys(presence.presences).length > 0);
    const groups = await client().getUserGroups();
    assert.ok(groups.some((g) => g.name === 'hamletcharacters'));
  });
});

describe('JWT', () => {
  test('a valid token returns the key, the real email and the profile', async () => {
    const result = await new ZulipClient({ site: server.url }).fetchApiKeyFromJwt(server.demo.jwt, true);
    assert.equal(result.api_key, server.demo.apiKey);
    assert.equal(result.email, server.demo.email);
    assert.ok(result.user && result.user.avatar_url);
  });

  const cases: Array<[string, () => Promise<string>, RegExp]> = [
    ['bad signature', async () => server.signJwt({ email: server.demo.email }, 'not-the-key'), /signature, algorithm or format is wrong, or it has expired/],
    ['expired', async () => server.signJwt({ email: server.demo.email, exp: Math.floor(Date.now() / 1000) - 60 }), /expired/],
    ['malformed', () => Promise.resolve('abc.def.ghi'), /signature, algorithm or format is wrong/],
    ['no email claim', async () => server.signJwt({ sub: 'x' }), /no "email" claim/],
    ['unknown user', async () => server.signJwt({ email: 'nobody@example.com' }), /No member of .* has the email this token names/],
    ['deactivated user', async () => server.signJwt({ email: server.deactivatedEmail }), /deactivated/],
    ['no token', () => Promise.resolve(''), /No token was sent/],
  ];
  for (const [name, token, expected] of cases) {
    test(`refusal: ${name}`, async () => {
      const jwt = await token();
      const error = await failure(new ZulipClient({ site: server.url }).fetchApiKeyFromJwt(jwt));
      assert.equal(error.kind, 'jwt');
      assert.match(error.message, expected);
      if (jwt) assert.ok(!error.message.includes(jwt), 'the token never appears in a message');
    });
  }

  test('refusal: JWT not enabled for the organization', async () => {
    const closed = await startZulipServer({ port: 0, jwtEnabled: false });
    try {
      const error = await failure(new ZulipClient({ site: closed.url }).fetchApiKeyFromJwt(closed.demo.jwt));
      assert.match(error.message, /does not allow signing in with a JSON Web Token/);
    } finally {
      await closed.close();
    }
  });

  test('refusal: no organization at this host', async () => {
    server.faults.push({ kind: 'status', status: 404, body: { result: 'error', msg: 'Invalid subdomain', code: 'NONEXISTENT_SUBDOMAIN' } }, { count: 1, path: '/api/v1/jwt' });
    const error = await failure(new ZulipClient({ site: server.url }).fetchApiKeyFromJwt(server.demo.jwt));
    assert.match(error.message, /There is no Zulip organization at/);
  });
});

describe('failures', () => {
  test('any 401 means the server no longer accepts this key; the key is never in the message', async () => {
    const wrongKey = 'Z'.repeat(32);
    const error = await failure(client({ apiKey: wrongKey }).getOwnUser());
    assert.equal(error.kind, 'unauthorized');
    assert.equal(error.needsSignIn, true);
    assert.match(error.message, /no longer accepts this API key/);
    assert.ok(!error.message.includes(wrongKey));
    server.faults.push({ kind: 'status', status: 401, body: { result: 'error', msg: 'Account is deactivated', code: 'USER_DEACTIVATED' } }, { count: 1 });
    const deactivated = await failure(client().getOwnUser());
    assert.equal(deactivated.kind, 'unauthorized');
    assert.match(deactivated.message, /Account is deactivated/);
  });

  test('429 waits Retry-After (fractional) and retries, a bounded number of times', async () => {
    const retries: number[] = [];
    server.faults.push({ kind: 'status', status: 429, headers: { 'Retry-After': '0.2' }, body: { result: 'error', msg: 'API usage exceeded rate limit', code: 'RATE_LIMIT_HIT', 'retry-after': 0.2 } }, { count: 1 });
    const started = Date.now();
    const me = await client({ onRetry: ({ waitSeconds }) => retries.push(waitSeconds) }).getOwnUser();
    assert.equal(me.delivery_email, server.demo.email);
    assert.deepEqual(retries, [0.2]);
    assert.ok(Date.now() - started >= 190, 'waited Retry-After');

    server.faults.push({ kind: 'status', status: 429, headers: { 'Retry-After': '0.05' }, body: { result: 'error', msg: 'API usage exceeded rate limit', code: 'RATE_LIMIT_HIT', 'retry-after': 0.05 } }, { count: 3 });
    const error = await failure(client({ maxRateLimitRetries: 2 }).getOwnUser());
    assert.equal(error.kind, 'rateLimited');
    assert.equal(error.retryAfter, 0.05);
    server.faults.clear();
  });

  test('429s in a row, as requests sent together meet the limit: retried while the waits fit in the allowed total', async () => {
    const limited = (seconds: number) => ({ kind: 'status' as const, status: 429, headers: { 'Retry-After': String(seconds) }, body: { result: 'error', msg: 'API usage exceeded rate limit', code: 'RATE_LIMIT_HIT', 'retry-after': seconds } });
    const retries: number[] = [];
    server.faults.push(limited(0.05), { count: 4 });
    const me = await client({ onRetry: ({ waitSeconds }) => retries.push(waitSeconds) }).getOwnUser();
    assert.equal(me.delivery_email, server.demo.email, 'four 429s, then the answer, with the default retries');
    assert.deepEqual(retries, [0.05, 0.05, 0.05, 0.05]);

    retries.length = 0;
    server.faults.push(limited(0.1), { count: 4 });
    const error = await failure(client({ maxRetryAfterSeconds: 0.25, onRetry: ({ waitSeconds }) => retries.push(waitSeconds) }).getOwnUser());
    assert.equal(error.kind, 'rateLimited');
    assert.deepEqual(retries, [0.1, 0.1], 'a third wait would pass 0.25 s in all');
    server.faults.clear();
  });

  test('the real rate limiter: headers, then 429 RATE_LIMIT_HIT', async () => {
    const limited = await startZulipServer({ port: 0, rateLimit: { limit: 3, windowSeconds: 60 } });
    try {
      const c = new ZulipClient({ site: limited.url, email: limited.demo.email, apiKey: limited.demo.apiKey, maxRateLimitRetries: 0 });
      for (let i = 0; i < 3; i++) await c.getOwnUser();
      const error = await failure(c.getOwnUser());
      assert.equal(error.kind, 'rateLimited');
      assert.equal(error.code, 'RATE_LIMIT_HIT');
      assert.ok((error.retryAfter ?? 0) > 0);
    } finally {
      await limited.close();
    }
  });

  test('a stalled server times out with the URL in the message', async () => {
    server.faults.push({ kind: 'stall' }, { count: 1 });
    const error = await failure(client({ timeoutMs: 300 }).getOwnUser());
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /users\/me did not answer within/);
  });

  test('an HTML page instead of JSON', async () => {
    server.faults.push({ kind: 'status', status: 502, contentType: 'text/html', body: '<html><body>Bad Gateway</body></html>' }, { count: 1 });
    const error = await failure(client().getOwnUser());
    assert.equal(error.kind, 'html');
    assert.match(error.message, /answered with a web page \(HTTP 502\)/);
    assert.equal(error.isTransient, true);
    server.faults.push({ kind: 'html' }, { count: 1 });
    assert.equal((await failure(client().getOwnUser())).kind, 'html');
  });

  test('malformed and truncated JSON', async () => {
    server.faults.push({ kind: 'truncated-json' }, { count: 1 });
    const error = await failure(client().getUsers());
    assert.equal(error.kind, 'malformedJson');
    assert.match(error.message, /not valid JSON/);
  });

  test('a redirect to another host is refused and credentials are never sent there', async () => {
    const foreign = await rawServer((_req, res) => res.end('{}'));
    try {
      server.faults.push({ kind: 'redirect', location: `${foreign.url}/api/v1/users/me` }, { count: 1 });
      const error = await failure(client().getOwnUser());
      assert.equal(error.kind, 'redirect');
      assert.match(error.message, /another site/);
      assert.equal(foreign.seen.length, 0, 'the other host got no request at all');
    } finally {
      foreign.server.close();
    }
  });

  test('a same-origin redirect is followed', async () => {
    server.faults.push({ kind: 'redirect', location: `${server.url}/api/v1/users/me` }, { count: 1 });
    const me = await client().getOwnUser();
    assert.equal(me.delivery_email, server.demo.email);
  });

  test('connection refused, reset and unknown host name each say what happened', async () => {
    const closed = await rawServer(() => undefined);
    closed.server.close();
    const refused = await failure(new ZulipClient({ site: closed.url }).getServerSettings());
    assert.equal(refused.kind, 'connection');
    assert.match(refused.message, /refused the connection/);

    server.faults.push({ kind: 'reset' }, { count: 1 });
    const reset = await failure(client().getOwnUser());
    assert.equal(reset.kind, 'connection');

    const dns = await failure(new ZulipClient({ site: 'https://no-such-host.invalid', timeoutMs: 5000 }).getServerSettings());
    assert.equal(dns.kind, 'dns');
    assert.match(dns.message, /no-such-host\.invalid could not be found/);
  });

  test('a host that is not Zulip', async () => {
    const other = await rawServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.statusCode = 404;
      res.end(JSON.stringify({ error: 'not found' }));
    });
    try {
      const error = await failure(new ZulipClient({ site: other.url }).getServerSettings());
      assert.equal(error.kind, 'notZulip');
      assert.match(error.message, /not as a Zulip server does/);
    } finally {
      other.server.close();
    }
  });
});

describe('transport', () => {
  test('Basic auth with the real email, a User-Agent, gzip accepted and decoded, JSON-encoded parameters', async () => {
    const raw = await rawServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Content-Encoding', 'gzip');
      res.end(gzipSync(JSON.stringify({ result: 'success', msg: '', members: [{ user_id: 1, full_name: 'Zipped' }], url: req.url })));
    });
    try {
      const members = await new ZulipClient({ site: raw.url, email: 'iago@zulip.com', apiKey: 'K'.repeat(32), userAgent: 'ZulipForVSCode/9.9.9' }).getUsers({ clientGravatar: false, includeCustomProfileFields: true });
      assert.equal(members[0].full_name, 'Zipped');
      assert.equal(members[0].is_active, true, 'missing fields defaulted');
      const headers = raw.seen[raw.seen.length - 1];
      assert.equal(headers.authorization, 'Basic ' + Buffer.from(`iago@zulip.com:${'K'.repeat(32)}`).toString('base64'));
      assert.equal(headers['user-agent'], 'ZulipForVSCode/9.9.9');
      assert.match(String(headers['accept-encoding']), /gzip/);
    } finally {
      raw.server.close();
    }
  });
});

describe('contract and secrets', () => {
  test('every request and response of this file matched zulip.yaml', () => {
    assert.deepEqual(server.contractViolations, []);
    assert.ok(server.requests.length > 20, 'the checks ran on real traffic');
  });

  test('no message contained an API key or a JWT', () => {
    assert.ok(messages.length > 10);
    for (const message of messages) {
      assert.ok(!message.includes(server.demo.apiKey), message);
      assert.ok(!message.includes(server.demo.jwt), message);
    }
  });
});
