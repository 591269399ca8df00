// Failures that must stay where they happen, against the repository's Zulip server: a listener
// that throws, an event that cannot be applied, an answer that will not change (a 4xx on the
// event queue), and two overlapping opens of one account.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { Emitter, onListenerError } from '../../src/common/emitter';
import { AccountStore, type KeyValueStore, type SecretStore } from '../../src/model/accountStore';
import { EventQueue } from '../../src/model/eventQueue';
import { Organization } from '../../src/model/organization';
import { Organizations } from '../../src/model/organizations';
import { ZulipClient } from '../../src/zulip/client';
import { trial } from '../reliability/outcomes';

let server: ZulipServer;
const reported: unknown[] = [];

before(async () => {
  server = await startZulipServer({ port: 0, generatedMembers: 20, longPollTimeoutSeconds: 1 });
  onListenerError((error) => reported.push(error));
});
after(() => server.close());
afterEach(() => (reported.length = 0));

const client = () => new ZulipClient({ site: server.url, email: server.demo.email, apiKey: server.demo.apiKey, timeoutMs: 5000 });
const account = () => ({ id: `${server.url}|${server.demo.email}`, site: server.url, email: server.demo.email, userId: server.demo.userId, fullName: 'King Hamlet', realmName: 'Zulip Dev', featureLevel: 372, zulipVersion: '10.2' });
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a listener that throws is reported, and the listeners after it still hear the event', () => {
  const emitter = new Emitter<number>();
  const heard: number[] = [];
  emitter.event(() => {
    throw new Error('broken view');
  });
  emitter.event((n) => heard.push(n));
  emitter.fire(1);
  emitter.fire(2);
  assert.deepEqual(heard, [1, 2]);
  assert.equal(reported.length, 2);
  assert.match(String(reported[0]), /broken view/);
});

test('a member listener that throws neither marks the organization offline nor loses the rest of the batch', () =>
  trial('unit-reliabilityHoles', { kind: 'fault', name: 'listener-throws', layer: 'unit' }, async () => {
  const org = new Organization(account(), client(), { minBackoffMs: 20, maxBackoffMs: 100 });
  await org.start();
  assert.equal(org.state.kind, 'ready');
  org.onDidChangeMembers(() => {
    throw new Error('broken view');
  });
  const names: string[] = [];
  org.onDidChangeMembers((change) => names.push(...change.userIds.map((id) => org.members.get(id)!.full_name)));
  const [a, b] = [...org.members.all()].filter((u) => !u.is_bot && u.is_active).slice(-2);
  server.org.updateUser(a.user_id, { full_name: 'Renamed One' });
  server.org.updateUser(b.user_id, { full_name: 'Renamed Two' });
  for (let i = 0; i < 100 && names.length < 2; i++) await wait(50);
  assert.deepEqual(names, ['Renamed One', 'Renamed Two'], 'both changes of the batch arrived');
  assert.equal(org.state.kind, 'ready', 'a view failing is no network failure');
  assert.ok(reported.length >= 2);
  await org.dispose();
  }));

test('an event that cannot be applied is logged and the others of the batch still apply', () =>
  trial('unit-reliabilityHoles', { kind: 'fault', name: 'event-cannot-apply', layer: 'unit' }, async () => {
  const logs: string[] = [];
  const org = new Organization(account(), client(), { log: (_level, message) => logs.push(message) });
  const someone = { user_id: 5000, full_name: 'New Person', email: 'new@example.com' };
  org.applyEvents([
    { id: 1, type: 'realm_user', op: 'update', person: null },
    { id: 2, type: 'realm_user', op: 'add', person: someone },
  ]);
  assert.equal(org.members.get(5000)?.full_name, 'New Person');
  assert.equal(logs.length, 1);
  assert.match(logs[0], /Could not apply a realm_user event/);
  await org.dispose();
  }));

test('a 4xx from the event queue is not retried forever: reported once as final, and polling stops', () =>
  trial('unit-reliabilityHoles', { kind: 'fault', name: 'permanent-4xx', layer: 'unit' }, async () => {
  const errors: (number | undefined)[] = [];
  const queue = new EventQueue(client(), { onRegistered: () => Promise.resolve(), onEvents: () => undefined, onError: (_e, retryInMs) => errors.push(retryInMs) }, { eventTypes: ['realm_user'], minBackoffMs: 10, maxBackoffMs: 20 });
  server.faults.push({ kind: 'status', status: 400, body: { result: 'error', msg: 'Invalid narrow', code: 'BAD_REQUEST' } }, { path: '/events', count: 50 });
  void queue.start();
  await wait(400);
  const polls = () => server.requests.filter((r) => r.path === '/api/v1/events' && r.method === 'GET').length;
  const pollsThen = polls();
  await wait(300);
  assert.deepEqual(errors, [undefined], 'one final error, no retry scheduled');
  assert.equal(polls(), pollsThen, 'no more polls');
  assert.equal(queue.stopped, true);
  server.faults.clear();
  await queue.stop();
  }));

test('Retry after a final error starts the event queue again', async () => {
  const org = new Organization(account(), client(), { minBackoffMs: 10, maxBackoffMs: 20 });
  server.faults.push({ kind: 'status', status: 404, body: { result: 'error', msg: 'Not found', code: 'BAD_REQUEST' } }, { path: '/events', count: 1 });
  await org.start();
  for (let i = 0; i < 40 && org.state.kind === 'ready'; i++) await wait(50);
  assert.equal(org.state.kind, 'stale', 'the final error shows, the list stays');
  await org.refresh();
  assert.equal(org.state.kind, 'ready');
  const name = 'Back Again';
  const someone = [...org.members.all()].find((u) => !u.is_bot && u.is_active && u.user_id !== server.demo.userId)!;
  server.org.updateUser(someone.user_id, { full_name: name });
  for (let i = 0; i < 60 && org.members.get(someone.user_id)?.full_name !== name; i++) await wait(50);
  assert.equal(org.members.get(someone.user_id)?.full_name, name, 'live updates flow again');
  await org.dispose();
});

function accountFields() {
  const { id: _id, ...fields } = account();
  return fields;
}

function memoryStores(): { kv: KeyValueStore; ss: SecretStore } {
  const state = new Map<string, unknown>();
  const secrets = new Map<string, string>();
  return {
    kv: { get: <T>(key: string) => state.get(key) as T | undefined, update: (key, value) => Promise.resolve(void state.set(key, value)) },
    ss: { get: (key) => Promise.resolve(secrets.get(key)), store: (key, value) => Promise.resolve(void secrets.set(key, value)), delete: (key) => Promise.resolve(void secrets.delete(key)) },
  };
}

test('two overlapping opens of one account leave one organization and one event queue', () =>
  trial('unit-reliabilityHoles', { kind: 'fault', name: 'overlapping-opens', layer: 'unit' }, async () => {
  const { kv, ss } = memoryStores();
  const store = new AccountStore(kv, ss);
  await store.save(accountFields(), server.demo.apiKey);
  const queuesBefore = server.events.size;
  const orgs = new Organizations(store, (options) => new ZulipClient({ ...options, timeoutMs: 5000 }));
  await Promise.all([orgs.startAll(), orgs.startAll()]);
  assert.equal(orgs.list().length, 1);
  assert.equal(orgs.list()[0].state.kind, 'ready');
  for (let i = 0; i < 40 && server.events.size !== queuesBefore + 1; i++) await wait(25);
  assert.equal(server.events.size, queuesBefore + 1, 'the replaced organization deleted its queue');
  await orgs.dispose();
  store.dispose();
  }));

test('signing out while an open is under way leaves nothing open', async () => {
  const { kv, ss } = memoryStores();
  const store = new AccountStore(kv, ss);
  const saved = await store.save(accountFields(), server.demo.apiKey);
  const queuesBefore = server.events.size;
  const orgs = new Organizations(store, (options) => new ZulipClient({ ...options, timeoutMs: 5000 }));
  const opening = orgs.startAll();
  await store.remove(saved.id);
  await opening;
  await wait(100);
  assert.equal(orgs.list().length, 0);
  assert.equal(orgs.get(saved.id), undefined);
  assert.equal(server.events.size, queuesBefore);
  await orgs.dispose();
  store.dispose();
});
