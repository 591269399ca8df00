// People at scale: an organization of 100,000 members with 5,000 user groups and a status for a
// third of them, against the repository's server in a child process (bench/serverProcess.ts).
//   1. Memory: the member list (GET /users parsed, MemberIndex) beside what people add to it
//      (UserStatuses, Presence and UserGroups built from the registration's initial state), as a
//      percentage on top of the member list (target at most 15%).
//   2. Presence updates: batches of 1,000 presence events through a real Organization's event
//      queue, each batch timed from the server's burst to the last one applied, with the longest
//      event-loop block (perf_hooks.monitorEventLoopDelay) while it ran; and the model's own cost
//      of applying 1,000 events in memory.
//
//   node --expose-gc --import tsx bench/people.ts [--members 100000] [--groups 5000] [--batches 3]
//
// bench/run.ts runs it at its largest size and writes its table into BENCHMARKS.md.
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { MemberIndex } from '../src/model/memberIndex';
import { Organization } from '../src/model/organization';
import { Presence } from '../src/model/presence';
import { UserGroups } from '../src/model/userGroups';
import { UserStatuses } from '../src/model/userStatus';
import { usersFromResponse, ZulipClient } from '../src/zulip/client';
import type { User } from '../src/zulip/types';
import { benchAccount } from './blocking';
import { ServerProcess } from './serverProcess';
import { runAsCommand } from '../scripts/runAsCommand';
import { median } from './stats';

export const PEOPLE_MEMBERS = 100_000;
export const PEOPLE_GROUPS = 5_000;
export const PEOPLE_STATUS_SHARE = 1 / 3;
export const PRESENCE_BATCH = 1_000;
/** What people may add on top of the member list's memory. */
export const PEOPLE_MEMORY_TARGET_PERCENT = 15;
const NS_PER_MS = 1e6;
const BATCH_TIMEOUT_MS = 120_000;

const now = (): number => performance.now();

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
}


const held: unknown[] = [];

/** Heap the value `make` returns keeps alive, after full collections. */
function heapOf(make: () => unknown): number {
  collect();
  const before = process.memoryUsage().heapUsed;
  held.push(make());
  collect();
  const after = process.memoryUsage().heapUsed;
  held.length = 0;
  return after - before;
}

export interface PeopleResult {
  members: number;
  groups: number;
  statuses: number;
  presences: number;
  memberListBytes: number;
  statusBytes: number;
  presenceBytes: number;
  groupBytes: number;
  /** Status, presence and groups together, as a percentage of the member list. */
  percent: number;
  /** Per batch of PRESENCE_BATCH events through the queue: wall time and longest event-loop block. */
  batchMs: number[];
  blockMs: number[];
  /** The longest garbage-collection pause during each batch: how much of a block is the heap's, not the code's. */
  gcMs: number[];
  /** The longest event-loop delay over a second of doing nothing: what the shared machine adds by itself. */
  idleBlockMs: number;
  /** Applying PRESENCE_BATCH events to Presence in memory (the model's share). */
  applyMs: number;
}

async function post(server: ServerProcess, pathname: string, form: Record<string, string>): Promise<unknown> {
  const response = await fetch(new URL(`/api/v1${pathname}`, server.url), {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${server.email}:${server.apiKey}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  if (!response.ok) throw new Error(`POST ${pathname} answered HTTP ${response.status}`);
  return response.json();
}

async function getText(server: ServerProcess, pathname: string): Promise<string> {
  const response = await fetch(new URL(`/api/v1${pathname}`, server.url), {
    headers: { Authorization: `Basic ${Buffer.from(`${server.email}:${server.apiKey}`).toString('base64')}` },
  });
  if (!response.ok) throw new Error(`GET ${pathname} answered HTTP ${response.status}`);
  return response.text();
}

/** Memory and the model's own cost, from the registration and the member list; nothing of it stays referenced. */
async function measureMemory(server: ServerProcess): Promise<Omit<PeopleResult, 'members' | 'batchMs' | 'blockMs' | 'gcMs' | 'idleBlockMs'>> {
  const usersText = await getText(server, '/users?client_gravatar=true&include_custom_profile_fields=true');
  const registration = JSON.stringify(
    await post(server, '/register', {
      event_types: JSON.stringify(['presence', 'user_status', 'user_group']),
      fetch_event_types: JSON.stringify(['presence', 'user_status', 'realm_user_groups']),
      slim_presence: 'true',
    }),
  );
  type Initial = { user_status?: object; presences?: object; realm_user_groups?: unknown[] };
  const initial = JSON.parse(registration) as Initial;
  const memberListBytes = heapOf(() => new MemberIndex(usersFromResponse(JSON.parse(usersText) as { members: Partial<User>[] })));
  // Each built from its own parse, as the organization keeps only what these hold.
  const statusBytes = heapOf(() => {
    const statuses = new UserStatuses();
    statuses.reset((JSON.parse(registration) as Initial).user_status);
    return statuses;
  });
  const presenceBytes = heapOf(() => {
    const presence = new Presence();
    presence.reset(JSON.parse(registration) as Initial);
    return presence;
  });
  const groupBytes = heapOf(() => {
    const groups = new UserGroups();
    groups.reset((JSON.parse(registration) as Initial).realm_user_groups);
    return groups;
  });

  // The model's own cost: 1,000 legacy presence events (the shape a 10.2 server sends) in memory.
  const model = new Presence();
  model.reset(initial);
  const ids = Object.keys(initial.presences ?? {}).map(Number);
  const stamp = Math.floor(Date.now() / 1000);
  const events = Array.from({ length: PRESENCE_BATCH }, (_, i) => ({
    type: 'presence',
    user_id: ids[(i * 97) % ids.length],
    email: `user${ids[(i * 97) % ids.length]}@example.invalid`,
    server_timestamp: stamp,
    presence: { website: { client: 'website', status: i % 2 ? 'active' : 'idle', timestamp: stamp, pushable: false } },
  }));
  const applyRuns: number[] = [];
  for (let r = 0; r < 5; r++) {
    const start = now();
    for (const event of events) model.applyEvent(event);
    applyRuns.push(now() - start);
  }
  model.dispose();
  const percent = ((statusBytes + presenceBytes + groupBytes) / memberListBytes) * 100;
  return {
    groups: initial.realm_user_groups?.length ?? 0,
    statuses: Object.keys(initial.user_status ?? {}).length,
    presences: ids.length,
    memberListBytes,
    statusBytes,
    presenceBytes,
    groupBytes,
    percent,
    applyMs: median(applyRuns),
  };
}

export async function measurePeople(options: { members: number; groups: number; batches: number }, log: (line: string) => void): Promise<PeopleResult> {
  log(`\nPeople: ${options.members.toLocaleString('en-US')} members, ${options.groups.toLocaleString('en-US')} groups, a status for a third: starting the server…`);
  const server = await ServerProcess.start(options.members, { groups: options.groups, statusShare: PEOPLE_STATUS_SHARE });
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'zulip-bench-people-'));
  try {
    // 1. Memory, from the very answers the extension gets.
    log('  memory…');
    const memory = await measureMemory(server);
    collect();

    // 2. Batches through a real organization's event queue.
    log('  presence batches through the event queue…');
    const client = new ZulipClient({ site: server.url, email: server.email, apiKey: server.apiKey, timeoutMs: 120_000 });
    const org = new Organization(benchAccount(server), client, { cacheDir, minBackoffMs: 50, maxBackoffMs: 500 });
    const batchMs: number[] = [];
    const blockMs: number[] = [];
    const gcMs: number[] = [];
    let longestGc = 0;
    let idleBlockMs = 0;
    const gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longestGc = Math.max(longestGc, entry.duration);
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    try {
      await org.start();
      if (org.state.kind !== 'ready') throw new Error(`Not ready: ${JSON.stringify(org.state)}`);
      // Let the registration's follow-up work settle before timing, then see what an idle second shows.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const idle = monitorEventLoopDelay({ resolution: 1 });
      idle.enable();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      idle.disable();
      idleBlockMs = idle.max / NS_PER_MS;
      for (let b = 0; b < options.batches; b++) {
        let seen = 0;
        const applied = new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`only ${seen} of ${PRESENCE_BATCH} presence events arrived`)), BATCH_TIMEOUT_MS);
          const sub = org.presence.onDidChange(() => {
            if (++seen < PRESENCE_BATCH) return;
            clearTimeout(timer);
            sub.dispose();
            resolve();
          });
        });
        const histogram = monitorEventLoopDelay({ resolution: 1 });
        longestGc = 0;
        histogram.enable();
        const start = now();
        await server.presenceBurst(PRESENCE_BATCH);
        await applied;
        batchMs.push(now() - start);
        histogram.disable();
        blockMs.push(histogram.max / NS_PER_MS);
        // Observer entries arrive after the fact: let them in before reading.
        await new Promise((resolve) => setTimeout(resolve, 50));
        gcMs.push(longestGc);
        log(`    batch ${b + 1}: ${batchMs[b].toFixed(0)} ms, longest block ${blockMs[b].toFixed(1)} ms, longest GC pause ${gcMs[b].toFixed(1)} ms`);
      }
    } finally {
      gcObserver.disconnect();
      await org.dispose();
    }
    return { members: options.members, ...memory, batchMs, blockMs, gcMs, idleBlockMs };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
    await server.close();
  }
}

const mb = (v: number) => `${(v / 2 ** 20).toFixed(1)} MB`;
const n = (v: number) => v.toLocaleString('en-US');

export function peopleTable(result: PeopleResult): string {
  const pct = (v: number) => `${((v / result.memberListBytes) * 100).toFixed(1)}%`;
  return [
    `${n(result.members)} members (the list holds ${n(result.presences)} presences), ${n(result.groups)} user groups, ${n(result.statuses)} statuses.`,
    '',
    '| Measurement | Value | Target | Met |',
    '| --- | --- | --- | --- |',
    `| Member list (GET /users parsed, MemberIndex) | ${mb(result.memberListBytes)} | | |`,
    `| User statuses | ${mb(result.statusBytes)} (${pct(result.statusBytes)}) | | |`,
    `| Presence | ${mb(result.presenceBytes)} (${pct(result.presenceBytes)}) | | |`,
    `| User groups | ${mb(result.groupBytes)} (${pct(result.groupBytes)}) | | |`,
    `| Status, presence and groups on top of the member list | ${result.percent.toFixed(1)}% | ≤ ${PEOPLE_MEMORY_TARGET_PERCENT}% | ${result.percent <= PEOPLE_MEMORY_TARGET_PERCENT ? 'yes' : 'no'} |`,
    `| ${n(PRESENCE_BATCH)} presence events through the event queue, per batch (median of ${result.batchMs.length}) | ${median(result.batchMs).toFixed(0)} ms | | |`,
    `| Longest event-loop block during a batch (worst of ${result.blockMs.length}) | ${Math.max(...result.blockMs).toFixed(1)} ms | ≤ 16 ms | ${Math.max(...result.blockMs) <= 16 ? 'yes' : 'no'} |`,
    `| Longest event-loop delay over an idle second, for comparison (the machine's own noise) | ${result.idleBlockMs.toFixed(1)} ms | | |`,
    `| Longest garbage-collection pause during a batch (worst of ${result.gcMs.length}) | ${Math.max(...result.gcMs).toFixed(1)} ms | | |`,
    `| ${n(PRESENCE_BATCH)} presence events applied to the model in memory (median of 5) | ${result.applyMs.toFixed(1)} ms | | |`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      members: { type: 'string', default: String(PEOPLE_MEMBERS) },
      groups: { type: 'string', default: String(PEOPLE_GROUPS) },
      batches: { type: 'string', default: '3' },
    },
  });
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
    console.error('Run with --expose-gc: node --expose-gc --import tsx bench/people.ts');
    process.exit(2);
  }
  const result = await measurePeople({ members: Number(values.members), groups: Number(values.groups), batches: Math.max(1, Number(values.batches)) }, (line) => console.log(line));
  console.log('\n' + peopleTable(result));
}

runAsCommand(module, main);
