// Sign-in checks against the repository's server: nothing is saved unless both the server and
// the key check out, and a failure never touches accounts already signed in.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { AccountStore, type KeyValueStore, type SecretStore } from '../../src/model/accountStore';
import { signInWithApiKey, signInWithJwt } from '../../src/model/signIn';
import { ZulipClient, type CreateClient } from '../../src/zulip/client';
import { ZulipError } from '../../src/zulip/errors';

let server: ZulipServer;
const createClient: CreateClient = (options) => new ZulipClient({ ...options, timeoutMs: 5000 });

function memoryStore() {
  const state = new Map<string, unknown>();
  const secrets = new Map<string, string>();
  const kv: KeyValueStore = { get: <T>(k: string) => state.get(k) as T | undefined, update: (k, v) => Promise.resolve(void state.set(k, v)) };
  const ss: SecretStore = {
    get: (k) => Promise.resolve(secrets.get(k)),
    store: (k, v) => Promise.resolve(void secrets.set(k, v)),
    delete: (k) => Promise.resolve(void secrets.delete(k)),
  };
  return { store: new AccountStore(kv, ss), secrets };
}

before(async () => {
  server = await startZulipServer({ port: 0, validateContract: true });
});
after(() => server.close());

test('a good key is verified and saved with what the server says about the account', async () => {
  const { store } = memoryStore();
  const account = await signInWithApiKey(store, createClient, server.url, server.demo.email, server.demo.apiKey);
  assert.equal(account.fullName, 'King Hamlet');
  assert.equal(account.userId, server.demo.userId);
  assert.ok(account.realmName);
  assert.ok(account.featureLevel > 0);
  assert.equal(await store.getApiKey(account.id), server.demo.apiKey);
  const paths = server.requests.slice(-2).map((r) => r.path);
  assert.deepEqual(paths, ['/api/v1/server_settings', '/api/v1/users/me']);
});

test('a wrong key saves nothing and leaves the working account alone', async () => {
  const { store, secrets } = memoryStore();
  const good = await signInWithApiKey(store, createClient, server.url, server.demo.email, server.demo.apiKey);
  await assert.rejects(signInWithApiKey(store, createClient, server.url, server.demo.email, 'W'.repeat(32)), (error: unknown) => error instanceof ZulipError && error.kind === 'unauthorized');
  assert.equal(store.list().length, 1);
  assert.equal(await store.getApiKey(good.id), server.demo.apiKey, 'the working key is still there');
  assert.equal(secrets.size, 1);
});

test('a site that is not a Zulip server is refused before any credentials are sent', async () => {
  const { store } = memoryStore();
  server.faults.push({ kind: 'html' }, { count: 1, path: '/api/v1/server_settings' });
  const before = server.requests.length;
  await assert.rejects(signInWithApiKey(store, createClient, server.url, server.demo.email, server.demo.apiKey), /web page/);
  assert.equal(store.list().length, 0);
  assert.ok(server.requests.slice(before).every((r) => r.path === '/api/v1/server_settings'), 'no authenticated request followed');
});

test('a JWT becomes a saved account; a bad one saves nothing', async () => {
  const { store } = memoryStore();
  await assert.rejects(signInWithJwt(store, createClient, server.url, await server.signJwt({ email: server.demo.email }, 'wrong-key')), /rejected the token/);
  assert.equal(store.list().length, 0);
  const account = await signInWithJwt(store, createClient, server.url, server.demo.jwt);
  assert.equal(account.email, server.demo.email);
  assert.equal(await store.getApiKey(account.id), server.demo.apiKey);
  assert.deepEqual(server.contractViolations, []);
});
