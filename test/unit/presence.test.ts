// The presence model: states read from a realm presence answer (pure), and asking the server
// only while watched, at most once an interval, against the repository's Zulip server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { Presence, presenceIn, presenceLabel, PRESENCE_OFFLINE_SECONDS } from '../../src/model/presence';
import { withUserDefaults, ZulipClient } from '../../src/zulip/client';
import type { RealmPresence } from '../../src/zulip/types';

const ann = withUserDefaults({ user_id: 1, email: 'ann@example.com', full_name: 'Ann' });
const bot = withUserDefaults({ user_id: 2, email: 'bot@example.com', full_name: 'Bot', is_bot: true });
const gone = withUserDefaults({ user_id: 3, email: 'gone@example.com', full_name: 'Gone', is_active: false });

const at = (status: 'active' | 'idle', secondsAgo: number, now = 1_000_000): RealmPresence => ({
  server_timestamp: now,
  presences: { 'ann@example.com': { aggregated: { status, timestamp: now - secondsAgo } }, 'bot@example.com': { aggregated: { status, timestamp: now } } },
});

test('presenceIn: active, idle, and offline once older than the threshold', () => {
  assert.equal(presenceIn(at('active', 10), ann), 'active');
  assert.equal(presenceIn(at('idle', 10), ann), 'idle');
  assert.equal(presenceIn(at('active', PRESENCE_OFFLINE_SECONDS), ann), 'active');
  assert.equal(presenceIn(at('active', PRESENCE_OFFLINE_SECONDS + 1), ann), 'offline');
  assert.equal(presenceIn({ server_timestamp: 5, presences: {} }, ann), 'offline');
});

test('presenceIn: bots and deactivated members have none; the newest client counts without an aggregate', () => {
  assert.equal(presenceIn(at('active', 0), bot), undefined);
  assert.equal(presenceIn(at('active', 0), gone), undefined);
  const clients: RealmPresence = { server_timestamp: 100, presences: { 'ann@example.com': { website: { status: 'idle', timestamp: 10 }, ZulipMobile: { status: 'active', timestamp: 90 } } } };
  assert.equal(presenceIn(clients, ann), 'active');
});

test('presenceLabel: short and sentence forms', () => {
  assert.equal(presenceLabel('active'), 'Active');
  assert.equal(presenceLabel('active', 'sentence'), 'Active now');
  assert.equal(presenceLabel('idle'), 'Idle');
  assert.equal(presenceLabel(undefined), undefined);
});

let server: ZulipServer;
let client: ZulipClient;

before(async () => {
  server = await startZulipServer({ port: 0, generatedMembers: 10 });
  client = new ZulipClient({ site: server.url, email: server.demo.email, apiKey: server.demo.apiKey, timeoutMs: 5000 });
});

after(() => server.close());

/** GET /realm/presence requests the server has answered. */
function presenceRequests(): number {
  return server.requests.filter((r) => r.path === '/api/v1/realm/presence').length;
}

test('reading never asks the server; watching asks once, and again only after the interval', async () => {
  const presence = new Presence(client, { intervalMs: 200 });
  const before = presenceRequests();
  assert.equal(presence.stateOf(ann), undefined);
  assert.equal(presenceRequests(), before, 'stateOf started no request');

  let changes = 0;
  presence.onDidChange(() => changes++);
  const watch = presence.watch();
  const second = presence.watch();
  await presence.refreshIfStale();
  assert.equal(changes, 1);
  assert.equal(presenceRequests(), before + 1, 'two watchers, one request');
  await presence.refreshIfStale();
  assert.equal(presenceRequests(), before + 1, 'within the interval nothing is asked');

  await new Promise((resolve) => setTimeout(resolve, 450));
  assert.ok(presenceRequests() >= before + 2, 'the interval asked again while watched');
  watch.dispose();
  second.dispose();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const settled = presenceRequests();
  await new Promise((resolve) => setTimeout(resolve, 450));
  assert.equal(presenceRequests(), settled, 'nothing is asked once nobody watches');
  presence.dispose();
});

test('canFetch false (not loaded, offline) asks nothing', async () => {
  const presence = new Presence(client, { canFetch: () => false });
  const before = presenceRequests();
  await presence.refreshIfStale();
  assert.equal(presenceRequests(), before);
  presence.dispose();
});
