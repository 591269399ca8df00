// Several windows of one VS Code share globalState and SecretStorage, and only SecretStorage says
// when another window changed it. Two AccountStores over shared in-memory stores (whose change
// event reaches both, as SecretStorage.onDidChange does) stand for two windows; against the
// repository's Zulip server, window B's organization stops and writes nothing when A signs out.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { Emitter } from '../../src/common/emitter';
import { AccountStore, type AccountsChange, type KeyValueStore, type SecretStore } from '../../src/model/accountStore';
import { Organizations } from '../../src/model/organizations';
import { ZulipClient } from '../../src/zulip/client';
import { trial } from '../reliability/outcomes';

/** One VS Code's shared storage; `window()` gives each window its view of it. */
function sharedStorage() {
  const state = new Map<string, unknown>();
  const secrets = new Map<string, string>();
  const secretChanged = new Emitter<{ key: string }>();
  const kv: KeyValueStore = { get: <T>(key: string) => structuredClone(state.get(key)) as T | undefined, update: (key, value) => Promise.resolve(void state.set(key, value)) };
  const ss: SecretStore = {
    get: (key) => Promise.resolve(secrets.get(key)),
    store: (key, value) => Promise.resolve(void (secrets.set(key, value), setImmediate(() => secretChanged.fire({ key })))),
    delete: (key) => Promise.resolve(void (secrets.delete(key), setImmediate(() => secretChanged.fire({ key })))),
    onDidChange: secretChanged.event,
  };
  return { secrets, ss, window: () => new AccountStore(kv, ss) };
}

const fields = (site: string, email: string) => ({ site, email, userId: 10, fullName: 'King Hamlet', realmName: 'Zulip Dev', featureLevel: 372, zulipVersion: '10.2' });

function changesOf(store: AccountStore): AccountsChange[] {
  const changes: AccountsChange[] = [];
  store.onDidChange((change) => changes.push(change));
  return changes;
}

const until = async (what: string, check: () => boolean, ms = 3000) => {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

test('a sign-in, a change of default and a sign-out in window A are announced in window B', async () => {
  const storage = sharedStorage();
  const a = storage.window();
  const b = storage.window();
  const seen = changesOf(b);
  const first = await a.save(fields('https://one.example.com', 'ann@example.com'), 'K'.repeat(32));
  await until('B hears of the sign-in', () => seen.some((c) => c.added?.id === first.id));
  const second = await a.save(fields('https://two.example.com', 'ann@example.com'), 'L'.repeat(32));
  await until('B hears of the second', () => seen.some((c) => c.added?.id === second.id));
  await a.setDefault(second.id);
  await until('B hears of the default', () => b.defaultAccount()?.id === second.id && seen.some((c) => c.changed?.id === second.id));
  await a.remove(first.id);
  await until('B hears of the sign-out', () => seen.some((c) => c.removed?.id === first.id));
  assert.deepEqual(b.list().map((x) => x.id), [second.id]);
  assert.equal(await b.getApiKey(first.id), undefined);
});

test("a window does not announce its own changes twice, and the index holds no key", async () => {
  const storage = sharedStorage();
  const a = storage.window();
  const seen = changesOf(a);
  await a.save(fields('https://one.example.com', 'ann@example.com'), 'SECRET-KEY-'.padEnd(32, 'x'));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(seen.length, 1);
  const index = storage.secrets.get('zulip.accountsIndex') ?? '';
  assert.match(index, /one\.example\.com/);
  assert.doesNotMatch(index, /SECRET-KEY/);
});

let server: ZulipServer;
before(async () => {
  server = await startZulipServer({ port: 0, generatedMembers: 20, longPollTimeoutSeconds: 1 });
});
after(() => server.close());

test("signing out in window A stops window B's event queue, and B writes nothing for the account", () =>
  trial('unit-accountsAcrossWindows', { kind: 'fault', name: 'second-window-sign-out', layer: 'unit' }, async () => {
  const storage = sharedStorage();
  const a = storage.window();
  const b = storage.window();
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'zulip-windows-'));
  const create = (options: { site: string; email?: string; apiKey?: string }) => new ZulipClient({ ...options, timeoutMs: 5000 });
  const queuesBefore = server.events.size;
  const orgsB = new Organizations(b, create, { cacheDir, minBackoffMs: 20, maxBackoffMs: 100 });
  const saved = await a.save(fields(server.url, server.demo.email), server.demo.apiKey);
  await until("B's organization loads", () => orgsB.get(saved.id)?.state.kind === 'ready', 5000);
  await until("B's queue", () => server.events.size === queuesBefore + 1);
  await orgsB.get(saved.id)!.saveToDisk();
  assert.equal((await readdir(path.join(cacheDir, 'organizations'))).length, 1);

  await a.remove(saved.id);
  await until("B's organization closes", () => orgsB.get(saved.id) === undefined);
  await until("B's queue is deleted", () => server.events.size === queuesBefore, 3000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(await readdir(path.join(cacheDir, 'organizations')), [], 'no cache left or written back');
  await orgsB.dispose();
  await rm(cacheDir, { recursive: true, force: true });
  }));

test("a change made here just after another window's sign-out, before its index is read: the sign-out is still announced here, once", async () => {
  const storage = sharedStorage();
  const a = storage.window();
  const b = storage.window();
  const first = await a.save(fields('https://one.example.com', 'ann@example.com'), 'K'.repeat(32));
  const second = await a.save(fields('https://two.example.com', 'ann@example.com'), 'L'.repeat(32));
  await until('B has both', () => b.list().length === 2 && b.get(second.id) !== undefined);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const seen = changesOf(b);
  // A signs out of the first; before B reads A's index, B updates the second (its organization
  // loaded and refreshed the account's facts), which snapshots the shared state.
  await a.remove(first.id);
  await b.update(second.id, { realmName: 'Zulip Dev, renamed' });
  await until('B announces the sign-out', () => seen.some((c) => c.removed?.id === first.id));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(seen.filter((c) => c.removed?.id === first.id).length, 1, 'once');
  assert.deepEqual(b.list().map((x) => x.id), [second.id]);
});

test("a list published by a window that had not yet heard of a sign-out does not bring the signed-out account back", async () => {
  const storage = sharedStorage();
  const a = storage.window();
  const b = storage.window();
  const first = await a.save(fields('https://one.example.com', 'ann@example.com'), 'K'.repeat(32));
  const second = await a.save(fields('https://two.example.com', 'ann@example.com'), 'L'.repeat(32));
  await until('B has both', () => b.list().length === 2);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const stale = storage.secrets.get('zulip.accountsIndex')!;
  const seenByA = changesOf(a);
  await b.remove(first.id);
  // A third window still believing in both accounts publishes its list after the sign-out.
  await storage.ss.store('zulip.accountsIndex', JSON.stringify({ ...JSON.parse(stale), writer: 'a window that lags' }));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(a.list().map((x) => x.id), [second.id], 'the signed-out account stays out of the shared list');
  assert.deepEqual(b.list().map((x) => x.id), [second.id]);
  assert.ok(!seenByA.some((c) => c.added?.id === first.id), 'not announced as signed in again');
  assert.equal(await a.getApiKey(first.id), undefined);
});
