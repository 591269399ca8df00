// The organization model against a failing server: the last good list stays (marked stale), a
// 401 asks for sign-in without deleting the key, a dropped event queue is re-registered, a
// restarted server is found again, and a window opened offline shows the list saved on disk.
// Every fault of test/reliability/faultCatalog.ts is tried on a refresh and on the event queue;
// the outcomes go to RELIABILITY.md.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { AccountStore, type KeyValueStore, type SecretStore } from '../../src/model/accountStore';
import { Organization, type OrganizationState } from '../../src/model/organization';
import { Organizations } from '../../src/model/organizations';
import { signInWithApiKey } from '../../src/model/signIn';
import { ZulipClient } from '../../src/zulip/client';
import { ANSWER_FAULTS, type FaultCase } from '../reliability/faultCatalog';
import { startForeignHost, type ForeignHost } from '../reliability/foreignHost';
import { trial } from '../reliability/outcomes';

let server: ZulipServer;
let cacheDir: string;
let foreign: ForeignHost;

before(async () => {
  // No real rate limit: the tests below make far more than 200 requests a minute.
  server = await startZulipServer({ port: 0, generatedMembers: 30, longPollTimeoutSeconds: 1, rateLimit: false });
  cacheDir = await mkdtemp(path.join(tmpdir(), 'zulip-org-'));
  foreign = await startForeignHost();
});
after(async () => {
  await server.close();
  await foreign.close();
  await rm(cacheDir, { recursive: true, force: true });
});

/** Records the trial for RELIABILITY.md: a fault of the catalog, at the model layer. */
function survives<T>(id: string, body: () => Promise<T>): Promise<T> {
  return trial('unit-organizationFaults', { kind: 'fault', name: id, layer: 'unit' }, body);
}

const fast = { minBackoffMs: 20, maxBackoffMs: 200 };
const CORDELIA = 8;

function account(site: string) {
  return { id: `${site}|${server.demo.email}`, site, email: server.demo.email, userId: server.demo.userId, fullName: 'King Hamlet', realmName: 'Zulip Dev', featureLevel: 372, zulipVersion: '10.2' };
}

function organization(site = server.url, dir: string | undefined = cacheDir): Organization {
  const client = new ZulipClient({ site, email: server.demo.email, apiKey: server.demo.apiKey, timeoutMs: 2000, maxRateLimitRetries: 0 });
  return new Organization(account(site), client, { cacheDir: dir, ...fast });
}

function until(org: Organization, predicate: (state: OrganizationState) => boolean, timeoutMs = 5000): Promise<OrganizationState> {
  if (predicate(org.state)) return Promise.resolve(org.state);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`state stayed ${JSON.stringify(org.state)}`)), timeoutMs);
    const sub = org.onDidChangeState((state) => {
      if (!predicate(state)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(state);
    });
  });
}

test('loading takes one GET /users plus settings, fields and register; no request per member', async () => {
  const before = server.requests.length;
  const org = organization();
  await org.start();
  try {
    assert.equal(org.state.kind, 'ready');
    assert.ok(org.members.size > 30);
    const paths = server.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    assert.equal(paths.filter((p) => p === 'GET /api/v1/users').length, 1);
    assert.ok(paths.includes('POST /api/v1/register'));
    assert.ok(!paths.some((p) => /\/users\/\d+/.test(p)), 'no per-member request');
  } finally {
    await org.dispose();
  }
});

test('a failing refresh keeps the last good list, marked stale; the next success clears it', async () => {
  const org = organization();
  await org.start();
  try {
    const count = org.members.size;
    server.faults.push({ kind: 'status', status: 503, contentType: 'text/html', body: '<html>Service Unavailable</html>' }, { count: 3, path: '/users' });
    await assert.rejects(org.refresh(), /web page \(HTTP 503\)/);
    assert.equal(org.state.kind, 'stale');
    assert.equal(org.members.size, count, 'nothing lost');
    server.faults.clear();
    await org.refresh();
    assert.equal(org.state.kind, 'ready');
  } finally {
    server.faults.clear();
    await org.dispose();
  }
});

test('a dropped event queue (BAD_EVENT_QUEUE_ID) is registered again and the members refetched', () => survives('bad-event-queue-id', async () => {
  const org = organization();
  await org.start();
  try {
    const registers = () => server.requests.filter((r) => r.path === '/api/v1/register').length;
    const usersFetches = () => server.requests.filter((r) => r.path === '/api/v1/users').length;
    const [r0, u0] = [registers(), usersFetches()];
    server.events.expireAll();
    const renamed = new Promise<void>((resolve) => org.onDidChangeMembers(() => org.members.get(8)?.full_name === 'Hamlet Renamed' && resolve()));
    const deadline = Date.now() + 5000;
    while (registers() === r0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(registers() > r0, 're-registered');
    while (usersFetches() === u0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(usersFetches() > u0, 'refetched');
    // The new queue delivers live changes.
    await new Promise((r) => setTimeout(r, 200));
    server.org.updateUser(8, { full_name: 'Hamlet Renamed' });
    await renamed;
    server.org.updateUser(8, { full_name: 'King Hamlet' });
  } finally {
    await org.dispose();
  }
}));

test('a 401 marks the account as needing sign-in and keeps its key', async () => {
  const state = new Map<string, unknown>();
  const secrets = new Map<string, string>();
  const kv: KeyValueStore = { get: <T>(k: string) => state.get(k) as T | undefined, update: (k, v) => Promise.resolve(void state.set(k, v)) };
  const ss: SecretStore = {
    get: (k) => Promise.resolve(secrets.get(k)),
    store: (k, v) => Promise.resolve(void secrets.set(k, v)),
    delete: (k) => Promise.resolve(void secrets.delete(k)),
  };
  const store = new AccountStore(kv, ss);
  const createClient = (o: { site: string; email?: string; apiKey?: string }) => new ZulipClient({ ...o, timeoutMs: 2000 });
  const orgs = new Organizations(store, createClient, { cacheDir, ...fast });
  try {
    const saved = await signInWithApiKey(store, createClient, server.url, server.demo.email, server.demo.apiKey);
    const deadline = Date.now() + 5000;
    while (orgs.get(saved.id)?.state.kind !== 'ready' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const org = orgs.get(saved.id)!;
    server.faults.push({ kind: 'status', status: 401, body: { result: 'error', msg: 'Invalid API key', code: 'UNAUTHORIZED' } }, { count: 1, path: '/users' });
    await assert.rejects(org.refresh(), /no longer accepts this API key/);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(store.get(saved.id)?.needsSignIn, true);
    assert.equal(await store.getApiKey(saved.id), server.demo.apiKey, 'an error never deletes a key');
  } finally {
    server.faults.clear();
    await orgs.dispose();
  }
});

test('the server restarting during a long-poll: the organization goes stale, then recovers by itself', () => survives('restart-during-long-poll', async () => {
  const own = await startZulipServer({ port: 0, longPollTimeoutSeconds: 5 });
  const port = Number(new URL(own.url).port);
  const client = new ZulipClient({ site: own.url, email: own.demo.email, apiKey: own.demo.apiKey, timeoutMs: 1000 });
  const org = new Organization(account(own.url), client, fast);
  await org.start();
  let restarted: ZulipServer | undefined;
  try {
    await new Promise((r) => setTimeout(r, 100)); // a long-poll is now waiting
    await own.close();
    await until(org, (s) => s.kind === 'stale');
    assert.ok(org.members.size > 0, 'the last good list is still shown');
    restarted = await startZulipServer({ port, longPollTimeoutSeconds: 5 });
    await until(org, (s) => s.kind === 'ready', 10_000);
  } finally {
    await org.dispose();
    await restarted?.close();
  }
}));

test('starting offline shows the members saved on disk; without a cache, one offline state', () => survives('gone-at-startup', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'zulip-offline-'));
  try {
    const online = organization(server.url, dir);
    await online.start();
    const count = online.members.size;
    await online.saveToDisk();
    await online.dispose();
    const saved = await readFile(path.join(online.cacheFolder!, 'members-v2.jsonl'), 'utf8');
    assert.ok(!saved.includes(server.demo.apiKey), 'the cache holds no key');

    // Same account, server unreachable: a port nobody listens on, the same cache folder name.
    const offlineClient = new ZulipClient({ site: server.url, email: server.demo.email, apiKey: server.demo.apiKey, timeoutMs: 500 });
    server.faults.push({ kind: 'reset' }, { count: 1000 });
    const offline = new Organization(account(server.url), offlineClient, { cacheDir: dir, ...fast });
    await offline.start();
    assert.equal(offline.state.kind, 'stale');
    assert.equal(offline.state.kind === 'stale' && offline.state.fromDisk, true);
    assert.equal(offline.members.size, count);
    await offline.dispose();

    const empty = new Organization(account(server.url), offlineClient, { cacheDir: await mkdtemp(path.join(tmpdir(), 'zulip-empty-')), ...fast });
    await empty.start();
    assert.equal(empty.state.kind, 'offline');
    assert.match(empty.state.kind === 'offline' ? empty.state.reason : '', /closed the connection|could not be reached/);
    await empty.dispose();
  } finally {
    server.faults.clear();
    await rm(dir, { recursive: true, force: true });
  }
}));

test('sign-out deletes the cached members', async () => {
  const org = organization();
  await org.start();
  await org.saveToDisk();
  const folder = org.cacheFolder!;
  assert.ok((await readdir(folder)).includes('members-v2.jsonl'));
  await org.dispose();
  await org.deleteCache();
  await assert.rejects(readdir(folder), /ENOENT/);
});

// ---- Every fault of the catalog, on a refresh and on the event queue ----

/** The signed-in account of an in-memory store, with its organization loaded. */
async function signedIn(clientOptions: Partial<ConstructorParameters<typeof ZulipClient>[0]> = {}) {
  const state = new Map<string, unknown>();
  const secrets = new Map<string, string>();
  const kv: KeyValueStore = { get: <T>(k: string) => state.get(k) as T | undefined, update: (k, v) => Promise.resolve(void state.set(k, v)) };
  const ss: SecretStore = {
    get: (k) => Promise.resolve(secrets.get(k)),
    store: (k, v) => Promise.resolve(void secrets.set(k, v)),
    delete: (k) => Promise.resolve(void secrets.delete(k)),
  };
  const store = new AccountStore(kv, ss);
  const createClient = (o: { site: string; email?: string; apiKey?: string }) => new ZulipClient({ ...o, timeoutMs: 2000, maxRateLimitRetries: 0, ...clientOptions });
  const orgs = new Organizations(store, createClient, { cacheDir, ...fast });
  const account = await signInWithApiKey(store, createClient, server.url, server.demo.email, server.demo.apiKey);
  const deadline = Date.now() + 5000;
  while (orgs.get(account.id)?.state.kind !== 'ready' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const org = orgs.get(account.id)!;
  assert.equal(org.state.kind, 'ready');
  return { store, orgs, org, account };
}

function faultOf(c: FaultCase): NonNullable<FaultCase['fault']> {
  return c.fault ?? { kind: 'redirect', location: `${foreign.url}/api/v1/users` };
}

const requestsTo = (suffix: string, since: number) => server.requests.slice(since).filter((r) => r.path === `/api/v1${suffix}`);

for (const c of ANSWER_FAULTS) {
  const outcome =
    c.expect === 'needsSignIn'
      ? 'sign-in asked, key kept'
      : c.expect === 'harmless'
        ? 'nothing to show'
        : c.id.startsWith('429')
          ? 'waits Retry-After and tries again'
          : 'the list stays, marked stale, and comes back by itself';
  test(`a refresh meeting ${c.name}: ${outcome}`, () =>
    survives(c.id, async () => {
      const retryInPlace = c.id.startsWith('429');
      const { store, orgs, org, account } = await signedIn(retryInPlace ? { maxRateLimitRetries: 2 } : {});
      const members = [...org.members.all()].map((m) => m.user_id).sort((a, b) => a - b);
      const states: string[] = [];
      org.onDidChangeState((state) => states.push(state.kind));
      assert.ok(await foreign.probe(), 'the other host answers at its URL');
      const since = server.requests.length;
      try {
        server.faults.push(faultOf(c), { count: 1, path: '/users' });
        const started = Date.now();
        if (c.expect === 'needsSignIn') {
          await assert.rejects(org.refresh(), c.message);
          assert.equal(org.state.kind, 'needsSignIn');
          await new Promise((r) => setTimeout(r, 250));
          assert.equal(store.get(account.id)?.needsSignIn, true, 'the account asks to be signed in again');
          assert.equal(await store.getApiKey(account.id), server.demo.apiKey, 'an error never deletes a key');
          assert.equal(requestsTo('/users', since).length, 1, 'no retry: only a sign-in helps');
        } else if (c.expect === 'harmless' || retryInPlace) {
          await org.refresh();
          assert.equal(org.state.kind, 'ready');
          assert.deepEqual(states, []);
          if (retryInPlace) {
            const [first, second] = requestsTo('/users', since);
            assert.ok(second, 'retried');
            const wait = Number((c.fault as { headers: Record<string, string> }).headers['Retry-After']);
            assert.ok(second.at! - first.at! >= wait * 1000 - 20, `waited Retry-After (${wait} s), not ${second.at! - first.at!} ms`);
          }
        } else {
          await assert.rejects(org.refresh(), c.message);
          assert.equal(org.state.kind, 'stale');
          assert.match(org.state.kind === 'stale' ? org.state.reason : '', c.message);
          assert.equal(org.members.size, members.length, 'the last good list stays');
          // Nobody presses Retry: the organization tries again after a backoff and recovers.
          await until(org, (s) => s.kind === 'ready', 6000);
          const attempts = requestsTo('/users', since);
          assert.equal(attempts.length, 2, 'one failed attempt, one retry');
          assert.ok(attempts[1].at! - attempts[0].at! >= fast.minBackoffMs / 2, 'the retry waited');
          assert.ok(Date.now() - started < 6000);
        }
        if (c.expect !== 'needsSignIn') {
          assert.deepEqual([...org.members.all()].map((m) => m.user_id).sort((a, b) => a - b), members, 'nothing lost');
          assert.equal(await store.getApiKey(account.id), server.demo.apiKey);
          assert.equal(store.get(account.id)?.needsSignIn, undefined);
        }
        assert.deepEqual(foreign.seen, [], 'nothing, so no credentials, reached another host');
      } finally {
        server.faults.clear();
        await orgs.dispose();
      }
    }));
}

for (const c of ANSWER_FAULTS.filter((f) => f.expect === 'transient' && f.id !== 'stall')) {
  test(`the event queue meeting ${c.name}: backs off, recovers by itself, loses no event`, () =>
    survives(c.id, async () => {
      const org = organization();
      await org.start();
      const seen: string[] = [];
      org.onDidChangeState((state) => seen.push(state.kind));
      const since = server.requests.length;
      try {
        await new Promise((r) => setTimeout(r, 100)); // a long-poll is waiting
        server.faults.push(faultOf(c), { count: 2, path: '/events' });
        // An event ends the waiting poll; the next two polls meet the fault.
        server.org.updateUser(CORDELIA, { timezone: 'Asia/Tokyo' });
        await until(org, (s) => s.kind === 'stale');
        assert.match(org.state.kind === 'stale' ? org.state.reason : '', c.message);
        // Changed while the queue was failing: must still arrive.
        server.org.updateUser(CORDELIA, { timezone: 'Europe/Oslo' });
        await until(org, (s) => s.kind === 'ready', 6000);
        const deadline = Date.now() + 3000;
        while (org.members.get(CORDELIA)?.timezone !== 'Europe/Oslo' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        assert.equal(org.members.get(CORDELIA)?.timezone, 'Europe/Oslo', 'the change made during the fault arrived');
        const polls = requestsTo('/events', since);
        const faulted = polls.filter((p) => p.fault);
        assert.equal(faulted.length, 2);
        const after = polls[polls.indexOf(faulted[1]) + 1];
        assert.ok(after && after.at! - faulted[1].at! >= fast.minBackoffMs, 'the second retry waited longer than the first step');
        assert.deepEqual(seen.filter((k, i) => k !== seen[i - 1]), ['stale', 'ready'], 'one stale mark, then ready: no flapping');
        assert.deepEqual(foreign.seen, []);
      } finally {
        server.faults.clear();
        server.org.updateUser(CORDELIA, { timezone: 'America/New_York' });
        await org.dispose();
      }
    }));
}
