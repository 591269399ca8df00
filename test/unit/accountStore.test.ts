import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccountStore, accountId, type KeyValueStore, type SecretStore } from '../../src/model/accountStore';

/** In-memory stand-ins for VS Code's globalState and SecretStorage. */
function memoryStores() {
  const state = new Map<string, unknown>();
  const secrets = new Map<string, string>();
  const kv: KeyValueStore = {
    get: <T>(key: string) => structuredClone(state.get(key)) as T | undefined,
    update: (key, value) => {
      if (value === undefined) state.delete(key);
      else state.set(key, structuredClone(value));
      return Promise.resolve();
    },
  };
  const ss: SecretStore = {
    get: (key) => Promise.resolve(secrets.get(key)),
    store: (key, value) => {
      secrets.set(key, value);
      return Promise.resolve();
    },
    delete: (key) => {
      secrets.delete(key);
      return Promise.resolve();
    },
  };
  return { state, secrets, store: new AccountStore(kv, ss) };
}

const base = { userId: 10, fullName: 'Iago', realmName: 'Zulip Dev', featureLevel: 372, zulipVersion: '10.2' };

test('the key goes to SecretStorage only; state holds no secret', async () => {
  const { state, secrets, store } = memoryStores();
  const account = await store.save({ ...base, site: 'https://a.example.com', email: 'iago@zulip.com' }, 'K'.repeat(32));
  assert.equal(account.id, accountId('https://a.example.com', 'iago@zulip.com'));
  assert.equal(await store.getApiKey(account.id), 'K'.repeat(32));
  assert.equal([...secrets.values()].length, 1);
  assert.doesNotMatch(JSON.stringify([...state.entries()]), /KKKK/);
});

test('several organizations; the first is the default until another is chosen', async () => {
  const { store } = memoryStores();
  const a = await store.save({ ...base, site: 'https://a.example.com', email: 'iago@zulip.com' }, 'A'.repeat(32));
  const b = await store.save({ ...base, site: 'https://b.example.com', email: 'iago@zulip.com' }, 'B'.repeat(32));
  assert.equal(store.defaultAccount()?.id, a.id);
  await store.setDefault(b.id);
  assert.deepEqual(store.ordered().map((x) => x.id), [b.id, a.id]);
  await assert.rejects(store.setDefault('nope'), /No signed-in account/);
});

test('signing in again replaces the key and clears needsSignIn; events say what changed', async () => {
  const { store } = memoryStores();
  const events: string[] = [];
  store.onDidChange((e) => events.push(Object.keys(e).join()));
  const a = await store.save({ ...base, site: 'https://a.example.com', email: 'Iago@Zulip.com' }, 'A'.repeat(32));
  await store.update(a.id, { needsSignIn: true });
  assert.equal(store.get(a.id)?.needsSignIn, true);
  await store.save({ ...base, site: 'https://a.example.com', email: 'iago@zulip.com' }, 'C'.repeat(32));
  assert.equal(store.list().length, 1, 'same account, case-insensitive email');
  assert.equal(store.get(a.id)?.needsSignIn, undefined);
  assert.equal(await store.getApiKey(a.id), 'C'.repeat(32));
  assert.deepEqual(events, ['added', 'changed', 'changed']);
});

test('sign-out removes the account, its key and the default choice; others stay', async () => {
  const { store, secrets } = memoryStores();
  const a = await store.save({ ...base, site: 'https://a.example.com', email: 'iago@zulip.com' }, 'A'.repeat(32));
  const b = await store.save({ ...base, site: 'https://b.example.com', email: 'iago@zulip.com' }, 'B'.repeat(32));
  await store.setDefault(a.id);
  await store.remove(a.id);
  assert.equal(store.get(a.id), undefined);
  assert.equal(await store.getApiKey(a.id), undefined);
  assert.equal(store.defaultAccount()?.id, b.id);
  assert.equal(await store.getApiKey(b.id), 'B'.repeat(32));
  assert.equal(secrets.size, 1);
  assert.equal(await store.remove('unknown'), undefined);
});

test('update never touches the key', async () => {
  const { store } = memoryStores();
  const a = await store.save({ ...base, site: 'https://a.example.com', email: 'iago@zulip.com' }, 'A'.repeat(32));
  await store.update(a.id, { fullName: 'Iago the Great' });
  assert.equal(store.get(a.id)?.fullName, 'Iago the Great');
  assert.equal(await store.getApiKey(a.id), 'A'.repeat(32));
});
