// Sliced loading of an organization against the repository's Zulip server over a real socket:
// a 100,000-member load gives the event loop turns all along; events that arrive while a refresh
// is being parsed are applied after the new list, in order, once each; signing out in the middle
// of a load stops it and leaves no cache and no timer; a cut-off or foreign answer gives the same
// errors as before and keeps the last good list; the disk cache round-trips and restores sorted.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { GROUP_ORDER, type MembersChange } from '../../src/model/memberIndex';
import { Organization } from '../../src/model/organization';
import { ZulipClient } from '../../src/zulip/client';
import { ZulipError } from '../../src/zulip/errors';
import { Slicer } from '../../src/zulip/slices';

const LARGE = 100_000;
const MEDIUM = 20_000;
const CORDELIA = 8;

let server: ZulipServer;

before(async () => {
  server = await startZulipServer({ port: 0, generatedMembers: MEDIUM, longPollTimeoutSeconds: 1, rateLimit: false });
});

after(async () => {
  await server.close();
});

function client(target = server): ZulipClient {
  return new ZulipClient({ site: target.url, email: target.demo.email, apiKey: target.demo.apiKey, timeoutMs: 60_000 });
}

function organization(target = server, cacheDir?: string): Organization {
  const account = {
    id: `${target.url}|${target.demo.email}`,
    site: target.url,
    email: target.demo.email,
    userId: target.demo.userId,
    fullName: 'King Hamlet',
    realmName: 'Zulip Dev',
    featureLevel: 372,
    zulipVersion: '10.2',
  };
  return new Organization(account, client(target), { cacheDir, minBackoffMs: 20, maxBackoffMs: 200 });
}

test('a 100,000-member load gives the event loop turns all along', async () => {
  const large = await startZulipServer({ port: 0, generatedMembers: LARGE, rateLimit: false });
  const org = organization(large);
  try {
    // The answer is cut and parsed in slices: count event-loop turns while getUsers runs.
    let turns = 0;
    const counting = setInterval(() => turns++, 1);
    const slicer = new Slicer();
    const users = await client(large).getUsers({ clientGravatar: true, includeCustomProfileFields: true, slicer });
    const turnsDuringParse = turns;
    assert.ok(users.length > LARGE);
    assert.ok(slicer.yields > 20, `the parse yielded ${slicer.yields} times`);
    assert.ok(turnsDuringParse > 20, `the event loop ran ${turnsDuringParse} times during the parse`);
    // The whole organization load (parse and index) too.
    turns = 0;
    await org.start();
    clearInterval(counting);
    assert.equal(org.state.kind, 'ready');
    assert.equal(org.members.size, users.length);
    assert.ok(turns > 20, `the event loop ran ${turns} times during the load`);
  } finally {
    await org.dispose();
    await large.close();
  }
});

test('events that arrive during a sliced refresh are applied after the new list, in order, once each', async () => {
  const org = organization();
  await org.start();
  const original = org.members.get(CORDELIA)!.full_name;
  const changes: MembersChange[] = [];
  org.onDidChangeMembers((change) => changes.push(change));
  try {
    const since = server.requests.length;
    const refreshing = org.refresh();
    // Once the server has answered GET /users (its answer holds neither rename), rename twice:
    // the events reach the client while it is still parsing that answer.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (!server.requests.slice(since).some((r) => r.path.endsWith('/users'))) return;
        clearInterval(poll);
        server.org.updateUser(CORDELIA, { full_name: 'Cordelia First' });
        server.org.updateUser(CORDELIA, { full_name: 'Cordelia Second' });
        resolve();
      }, 1);
    });
    await refreshing;
    const deadline = Date.now() + 5000;
    while (org.members.get(CORDELIA)?.full_name !== 'Cordelia Second' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(org.members.get(CORDELIA)?.full_name, 'Cordelia Second', 'no event lost under the new list');
    const reset = changes.findIndex((c) => c.reset);
    const renames = changes.map((c, i) => ({ c, i })).filter(({ c }) => !c.reset && c.userIds.includes(CORDELIA));
    assert.ok(reset >= 0, 'the refresh announced its new list');
    assert.equal(renames.length, 2, 'each event applied once');
    assert.ok(renames.every(({ i }) => i > reset), 'both applied after the switch to the new list');
    assert.equal(changes.filter((c) => c.reset).length, 1, 'one switch');
  } finally {
    server.org.updateUser(CORDELIA, { full_name: original });
    await org.dispose();
  }
});

test('signing out in the middle of a load stops it and leaves nothing', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'zulip-sliced-'));
  const org = organization(server, dir);
  try {
    const since = server.requests.length;
    const starting = org.start();
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (!server.requests.slice(since).some((r) => r.path.endsWith('/users'))) return;
        clearInterval(poll);
        resolve();
      }, 1);
    });
    await org.dispose();
    await org.deleteCache();
    await starting;
    assert.equal(org.members.size, 0, 'the list being loaded was never shown');
    // Nothing is written later either: no timer or slice is left to do it.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(existsSync(org.cacheFolder!), false, 'no cache for a signed-out account');
    assert.deepEqual(await readdir(dir).then((entries) => entries.filter((e) => e !== 'organizations')), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a cut-off or foreign answer gives the same errors as before and keeps the last good list', async () => {
  const org = organization();
  await org.start();
  const count = org.members.size;
  try {
    server.faults.push({ kind: 'truncated-json' }, { count: 1, path: '/users' });
    const truncated = await org.refresh().catch((error: unknown) => error);
    assert.ok(truncated instanceof ZulipError && truncated.kind === 'malformedJson', String(truncated));
    assert.match(truncated.message, /sent a reply that is not valid JSON \(HTTP 200, \d+ bytes\)\. The connection may have been cut off; try again\./);
    assert.equal(org.members.size, count, 'the last good list is kept');
    assert.equal(org.state.kind, 'stale');

    server.faults.push({ kind: 'html' }, { count: 1, path: '/users' });
    const page = await client().getUsers({ slicer: new Slicer() }).catch((error: unknown) => error);
    assert.ok(page instanceof ZulipError && page.kind === 'html', String(page));
    assert.equal(org.members.size, count);
  } finally {
    server.faults.clear();
    await org.dispose();
  }
});

test('the disk cache is written in lines and restores the list sorted, without a new sort', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'zulip-sliced-cache-'));
  try {
    const online = organization(server, dir);
    await online.start();
    await online.members.whenSorted();
    await online.saveToDisk();
    const expected = GROUP_ORDER.map((kind) => online.members.sortedGroup(kind).map((u) => u.user_id));
    await online.dispose();

    server.faults.push({ kind: 'reset' }, { count: 1000 });
    const offline = new Organization(
      { id: `${server.url}|${server.demo.email}`, site: server.url, email: server.demo.email, userId: 0, fullName: '', realmName: 'Zulip Dev', featureLevel: 372, zulipVersion: '10.2' },
      new ZulipClient({ site: server.url, email: server.demo.email, apiKey: server.demo.apiKey, timeoutMs: 500 }),
      { cacheDir: dir, minBackoffMs: 20, maxBackoffMs: 200 },
    );
    await offline.start();
    assert.equal(offline.state.kind === 'stale' && offline.state.fromDisk, true);
    assert.ok(offline.members.sorted, 'restored in sorted order: no background sort needed');
    assert.deepEqual(GROUP_ORDER.map((kind) => offline.members.sortedGroup(kind).map((u) => u.user_id)), expected);
    await offline.dispose();
  } finally {
    server.faults.clear();
    await rm(dir, { recursive: true, force: true });
  }
});
