// Scripted faults: every kind, counts, path prefixes, clearing.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { call } from './helpers';

let server: ZulipServer;

before(async () => {
  server = await startZulipServer({ port: 0, rateLimit: false });
});

after(async () => {
  await server.close();
});

describe('fault kinds', () => {
  test('status: 502 with an HTML body and the given content type', async () => {
    server.faults.push({ kind: 'status', status: 502, body: '<html><body>Bad Gateway</body></html>', contentType: 'text/html' });
    const result = await call(server, 'GET', '/users/me');
    assert.equal(result.status, 502);
    assert.equal(result.headers.get('content-type'), 'text/html');
    assert.equal(result.text, '<html><body>Bad Gateway</body></html>');
    assert.equal((await call(server, 'GET', '/users/me')).status, 200, 'only the next answer');
  });

  test('status defaults: 500/503 look like a proxy page, 401 like Zulip', async () => {
    server.faults.push({ kind: 'status', status: 503 });
    const proxy = await call(server, 'GET', '/users/me');
    assert.equal(proxy.status, 503);
    assert.match(proxy.headers.get('content-type') ?? '', /text\/html/);
    assert.match(proxy.text, /503 Service Unavailable/);
    server.faults.push({ kind: 'status', status: 401 });
    const unauthorized = await call(server, 'GET', '/users/me');
    assert.equal(unauthorized.status, 401);
    assert.deepEqual(unauthorized.json, { result: 'error', msg: 'Invalid API key', code: 'UNAUTHORIZED' });
    assert.equal(unauthorized.headers.get('www-authenticate'), 'Basic realm="zulip"');
  });

  test('status: 401 with a given msg, 429 with a fractional Retry-After', async () => {
    server.faults.push({ kind: 'status', status: 401, body: { result: 'error', msg: 'Account is deactivated', code: 'UNAUTHORIZED' } });
    const deactivated = await call(server, 'GET', '/users');
    assert.equal(deactivated.json!.msg, 'Account is deactivated');
    server.faults.push({
      kind: 'status',
      status: 429,
      headers: { 'Retry-After': '0.25' },
      body: { result: 'error', msg: 'API usage exceeded rate limit', code: 'RATE_LIMIT_HIT', 'retry-after': 0.25 },
    });
    const limited = await call(server, 'GET', '/users');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '0.25');
    assert.equal(limited.json!['retry-after'], 0.25);
  });

  test('reset: the connection is destroyed without an answer', async () => {
    server.faults.push({ kind: 'reset' });
    await assert.rejects(call(server, 'GET', '/users/me'), (error: Error & { cause?: { code?: string } }) => {
      assert.match(String(error.cause?.code ?? error.message), /ECONNRESET|UND_ERR_SOCKET|other side closed/);
      return true;
    });
    assert.equal((await call(server, 'GET', '/users/me')).status, 200);
  });

  test('stall: accepted and never answered', async () => {
    server.faults.push({ kind: 'stall' });
    await assert.rejects(call(server, 'GET', '/users/me', { signal: AbortSignal.timeout(300) }), /abort|timeout/i);
    assert.equal(server.requests.at(-1)?.fault, 'stall', 'the request did arrive');
  });

  test('truncated-json: the real answer cut short, still labelled JSON', async () => {
    server.faults.push({ kind: 'truncated-json' });
    const result = await call(server, 'GET', '/users/me');
    assert.equal(result.status, 200);
    assert.equal(result.headers.get('content-type'), 'application/json');
    assert.equal(result.json, undefined, 'not parseable');
    assert.ok(result.text.startsWith('{"result":"success"'), result.text);
    assert.equal(Number(result.headers.get('content-length')), Buffer.byteLength(result.text), 'a complete HTTP message');
  });

  test('truncated-json works on the streamed GET /users too', async () => {
    server.faults.push({ kind: 'truncated-json' });
    const result = await call(server, 'GET', '/users');
    assert.equal(result.json, undefined);
    assert.ok(result.text.includes('"members":['));
  });

  test('wrong-content-type: the real JSON answer labelled text/html', async () => {
    server.faults.push({ kind: 'wrong-content-type' });
    const result = await call(server, 'GET', '/users/me');
    assert.equal(result.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(result.json!.user_id, 10);
  });

  test('redirect: 302 to another host', async () => {
    server.faults.push({ kind: 'redirect', location: 'http://login.example.net/sso' });
    const result = await call(server, 'GET', '/users/me');
    assert.equal(result.status, 302);
    assert.equal(result.headers.get('location'), 'http://login.example.net/sso');
  });

  test('html: 200 with a login page', async () => {
    server.faults.push({ kind: 'html' });
    const result = await call(server, 'GET', '/server_settings', { auth: null });
    assert.equal(result.status, 200);
    assert.match(result.headers.get('content-type') ?? '', /text\/html/);
    assert.match(result.text, /<form/);
  });
});

describe('scheduling', () => {
  test('count and path prefix ("/users" means /api/v1/users)', async () => {
    server.faults.push({ kind: 'status', status: 500 }, { count: 2, path: '/realm' });
    assert.equal((await call(server, 'GET', '/users/me')).status, 200, 'other paths unaffected');
    assert.equal((await call(server, 'GET', '/realm/presence')).status, 500);
    assert.equal((await call(server, 'GET', '/realm/profile_fields')).status, 500);
    assert.equal((await call(server, 'GET', '/realm/presence')).status, 200, 'used up');
    server.faults.push({ kind: 'status', status: 503 }, { path: '/api/v1/users' });
    assert.equal((await call(server, 'GET', '/server_settings', { auth: null })).status, 200);
    assert.equal((await call(server, 'GET', '/users/me')).status, 503);
  });

  test('faults apply to avatar routes too, and clear() cancels', async () => {
    server.faults.push({ kind: 'status', status: 404, body: 'gone' }, { path: '/avatar/' });
    assert.equal((await fetch(new URL('/avatar/10', server.url), { redirect: 'manual' })).status, 404);
    server.faults.push({ kind: 'status', status: 500 }, { count: 5 });
    assert.equal(server.faults.pending().length, 1);
    server.faults.clear();
    assert.equal(server.faults.pending().length, 0);
    assert.equal((await call(server, 'GET', '/users/me')).status, 200);
  });

  test('bad faults are refused', () => {
    assert.throws(() => server.faults.push({ kind: 'explode' } as never), /Unknown fault kind/);
    assert.throws(() => server.faults.push({ kind: 'status', status: 42 }), /HTTP status/);
    assert.throws(() => server.faults.push({ kind: 'reset' }, { count: 0 }), /count/);
  });

  test('the request log records faulted requests with their fault', async () => {
    server.requests.length = 0;
    server.faults.push({ kind: 'html' });
    await call(server, 'GET', '/users/me');
    const { at: _at, ...entry } = server.requests[0];
    assert.deepEqual(entry, { method: 'GET', path: '/api/v1/users/me', query: {}, authEmail: server.demo.email, fault: 'html', status: 200 });
  });

  test('close() ends stalled connections', async () => {
    const other = await startZulipServer({ port: 0 });
    other.faults.push({ kind: 'stall' });
    const outcome = new Promise<string>((resolve) => {
      const request = http.get(new URL('/api/v1/server_settings', other.url), () => resolve('answered'));
      request.on('error', () => resolve('closed'));
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await other.close();
    assert.equal(await outcome, 'closed');
  });
});
