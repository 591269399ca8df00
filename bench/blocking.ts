// How long the extension's work keeps the thread to itself: every extension of a VS Code window
// shares one extension-host thread, so the longest single block is what a person feels (a frame
// is 16 ms). Measured with a probe that schedules setImmediate back to back and records the
// longest gap between two ticks (in wall-clock and in CPU time), around the model
// layer's real work against the repository's server in a child process: a first load, Refresh,
// the refetch after the server forgot the event queue, a restart from the disk cache, a burst of
// realm_user events, a sign-out in the middle of a load, filtering the tree, expanding the
// largest group, and typing in Find Member. Also the sliced pipeline from response bytes in
// memory to the tree's root rows, its CPU time and heap, beside JSON.parse of the same bytes.
//
//   node --expose-gc --import tsx bench/blocking.ts [--sizes 1000,10000,100000] [--runs 5]
//
// bench/run.ts runs it too and writes its table into BENCHMARKS.md.
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { accountId, type Account } from '../src/model/accountStore';
import { findMembers } from '../src/model/findMembers';
import { MemberIndex } from '../src/model/memberIndex';
import { rankMembers } from '../src/model/mentionRanking';
import { Organization, type OrganizationState } from '../src/model/organization';
import { MemberTreeModel, type GroupNode, type MemberSource } from '../src/views/memberTreeModel';
import { ZulipClient, usersFromResponseInSlices } from '../src/zulip/client';
import { JsonArraySlicer } from '../src/zulip/jsonArraySlicer';
import { Slicer } from '../src/zulip/slices';
import type { User } from '../src/zulip/types';
import { ServerProcess } from './serverProcess';
import { runAsCommand } from '../scripts/runAsCommand';
import { median } from './stats';

const FRAME_MS = 16;
const WORST_BLOCK_MS = 50;
const BURST_EVENTS = 5000;
/** What a socket hands over at a time: the pipeline in memory is fed in chunks of this size. */
const CHUNK_BYTES = 64 * 1024;
const TYPED = ['a', 'an', 'ann', 'ann l', 'ann le'];
/** As the completion provider asks (src/views/mentionCompletionProvider.ts). */
const COMPLETION_LIMIT = 50;

const now = (): number => performance.now();

function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}


function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
}

/**
 * The longest gap between setImmediate ticks while it runs, in wall-clock time and in this
 * process's CPU time. On a machine shared with other work the operating system also pauses the
 * process, which stretches wall-clock gaps; the CPU-time gap is the block itself, as an idle
 * machine would show it.
 */
class BlockProbe {
  private last = now();
  private lastCpu = cpuNow();
  private longest = 0;
  private longestCpu = 0;
  private running = true;

  constructor() {
    const tick = () => {
      const t = now();
      const cpu = cpuNow();
      this.longest = Math.max(this.longest, t - this.last);
      this.longestCpu = Math.max(this.longestCpu, cpu - this.lastCpu);
      this.last = t;
      this.lastCpu = cpu;
      if (this.running) setImmediate(tick);
    };
    setImmediate(tick);
  }

  stop(): { longestMs: number; longestCpuMs: number } {
    this.running = false;
    this.longest = Math.max(this.longest, now() - this.last);
    this.longestCpu = Math.max(this.longestCpu, cpuNow() - this.lastCpu);
    return { longestMs: this.longest, longestCpuMs: this.longestCpu };
  }
}

/** Runs `work` under a probe; synchronous work counts as one block. */
async function probe<T>(work: () => Promise<T> | T): Promise<{ result: T; longestMs: number; longestCpuMs: number; wallMs: number }> {
  // Let the probe see a tick before the work starts.
  const p = new BlockProbe();
  await new Promise((r) => setImmediate(r));
  const t = now();
  const result = await work();
  const wallMs = now() - t;
  await new Promise((r) => setImmediate(r));
  return { result, wallMs, ...p.stop() };
}

function until(org: Organization, predicate: (s: OrganizationState) => boolean, timeoutMs = 120_000): Promise<void> {
  if (predicate(org.state)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Timed out waiting; state ${JSON.stringify(org.state)}`)), timeoutMs);
    const sub = org.onDidChangeState((s) => {
      if (!predicate(s)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

function treeRoot(org: MemberSource): string[] {
  const tree = new MemberTreeModel(() => [org]);
  const [orgNode] = tree.children();
  return (tree.children(orgNode) as GroupNode[]).map((g) => `${g.group} ${tree.groupCount(org, g.group)}`);
}

export interface BlockingResult {
  members: number;
  /** Longest block (ms) per scenario: medians over the runs, and the worst run. */
  blocks: Record<string, { medianMs: number; worstMs: number; cpuMedianMs: number; cpuWorstMs: number }>;
  /** Load average (1 min) when this size was measured. */
  load: number;
  floorMs: number;
  floorCpuMs: number;
  slicedWallMs: number;
  slicedCpuMs: number;
  heapFloorBytes: number;
  heapSlicedBytes: number;
  cacheShownMs: number;
  search: Record<string, { firstMs: number; warmMs: number }>;
}

export const SCENARIOS: Record<string, string> = {
  firstLoad: 'First load (sign-in): start() until ready',
  refresh: 'Refresh',
  reconnect: 'Refetch after the server forgot the event queue',
  cacheRestart: 'Restart with the disk cache: start() until ready',
  burst: `Burst of ${BURST_EVENTS.toLocaleString('en-US')} realm_user events, applied`,
  signOut: 'Signing out in the middle of a load',
  filter: 'Filtering the tree ("ann"): root and group rows',
  expand: 'Expanding the largest group',
  findMember: `Find Member, typing "${TYPED[TYPED.length - 1]}" (longest keystroke)`,
};

/** The benchmark's account on a server of bench/serverProcess.ts. */
export function benchAccount(server: ServerProcess): Account {
  return {
    id: accountId(server.url, server.email),
    site: server.url,
    email: server.email,
    userId: 0,
    fullName: '',
    realmName: 'Zulip Dev',
    featureLevel: 372,
    zulipVersion: '10.2',
  };
}

/** The sliced pipeline in memory: bytes in socket-sized chunks → members → index → tree root rows. */
async function slicedPipeline(bytes: Buffer, onRootReady?: () => void): Promise<{ index: MemberIndex; rows: string[] }> {
  const slicer = new Slicer();
  const cutter = new JsonArraySlicer();
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
    cutter.push(bytes.subarray(at, at + CHUNK_BYTES));
    await slicer.pause();
  }
  const { envelope, elements } = cutter.finish();
  const body = JSON.parse(envelope) as { members?: User[] };
  body.members = elements as User[];
  const users = await usersFromResponseInSlices(body, slicer);
  const index = new MemberIndex();
  await index.resetInSlices(users, slicer);
  const source: MemberSource = { id: 'bench', name: 'Bench', members: index, state: { kind: 'ready' } };
  const rows = treeRoot(source);
  onRootReady?.();
  // A first load sorts the groups in the background afterwards: part of the load's CPU.
  await index.whenSorted();
  return { index, rows };
}

function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export async function measureBlocking(size: number, runs: number, log: (line: string) => void): Promise<BlockingResult> {
  log(`\n${size.toLocaleString('en-US')} members: event-loop blocks…`);
  const server = await ServerProcess.start(size);
  const blocks: Record<string, number[]> = {};
  const cpuBlocks: Record<string, number[]> = {};
  const record = (name: string, r: { longestMs: number; longestCpuMs: number }) => {
    (blocks[name] ??= []).push(r.longestMs);
    (cpuBlocks[name] ??= []).push(r.longestCpuMs);
  };
  const cacheShown: number[] = [];
  const searchFirst: Record<string, number[]> = {};
  const searchWarm: Record<string, number[]> = {};
  const fast = { minBackoffMs: 50, maxBackoffMs: 200 };
  const newClient = () => new ZulipClient({ site: server.url, email: server.email, apiKey: server.apiKey, timeoutMs: 120_000 });
  try {
    // The pipeline from bytes in memory, beside JSON.parse of the same text.
    const text = await (await fetch(`${server.url}/api/v1/users?client_gravatar=true&include_custom_profile_fields=true`, {
      headers: { Authorization: 'Basic ' + Buffer.from(`${server.email}:${server.apiKey}`).toString('base64') },
    })).text();
    const bytes = Buffer.from(text);
    const floor: number[] = [];
    const floorCpu: number[] = [];
    const sliced: number[] = [];
    const slicedCpu: number[] = [];
    for (let r = -1; r < runs; r++) {
      collect();
      // The floor from the same bytes: decoding them, then JSON.parse (what the client did before).
      let cpu = process.cpuUsage();
      let t = now();
      JSON.parse(bytes.toString('utf8'));
      const f = now() - t;
      const fc = cpuMs(cpu);
      collect();
      cpu = process.cpuUsage();
      t = now();
      let rootAt = 0;
      await slicedPipeline(bytes, () => (rootAt = now() - t));
      const s = rootAt;
      const sc = cpuMs(cpu);
      if (r < 0) continue;
      floor.push(f);
      floorCpu.push(fc);
      sliced.push(s);
      slicedCpu.push(sc);
    }
    const heapOf = async (make: () => unknown) => {
      collect();
      const before = process.memoryUsage().heapUsed;
      const kept = await make();
      collect();
      const grown = process.memoryUsage().heapUsed - before;
      if (kept === undefined) throw new Error('nothing kept');
      return grown;
    };
    const heapFloor: number[] = [];
    const heapSliced: number[] = [];
    for (let r = 0; r < Math.min(runs, 3); r++) {
      heapFloor.push(await heapOf(() => JSON.parse(text) as unknown));
      heapSliced.push(await heapOf(() => slicedPipeline(bytes)));
    }

    for (let r = 0; r < runs; r++) {
      const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'zulip-bench-cache-'));
      try {
        // First load (sign-in): nothing cached.
        const org = new Organization(benchAccount(server), newClient(), { cacheDir, ...fast });
        // Until ready, and the lookup tables it builds in the background afterwards.
        const first = await probe(async () => {
          await org.start();
          await org.whenLookupsReady();
        });
        if (org.state.kind !== 'ready') throw new Error(`Not ready: ${JSON.stringify(org.state)}`);
        record('firstLoad', first);

        // Find Member and completion right after a load (once its background work, the lookup
        // tables, is done: a person opens Find Member after the list shows), then warm; each
        // keystroke is one block.
        await org.whenLookupsReady();
        let longestKeystroke = 0;
        for (const query of TYPED) {
          let t = now();
          findMembers(org.members, query, 200);
          const keystroke = now() - t;
          longestKeystroke = Math.max(longestKeystroke, keystroke);
          (searchFirst['Find Member'] ??= []).push(keystroke);
          t = now();
          rankMembers(query, org.members, COMPLETION_LIMIT);
          (searchFirst['Completion'] ??= []).push(now() - t);
        }
        // Each keystroke is one synchronous block: the longest of the first ones after a load.
        record('findMember', { longestMs: longestKeystroke, longestCpuMs: longestKeystroke });
        for (const query of TYPED) {
          let t = now();
          findMembers(org.members, query, 200);
          (searchWarm['Find Member'] ??= []).push(now() - t);
          t = now();
          rankMembers(query, org.members, COMPLETION_LIMIT);
          (searchWarm['Completion'] ??= []).push(now() - t);
        }

        // The tree: filter (first after the load, then warm), expand the largest group.
        await org.members.whenSorted();
        const tree = new MemberTreeModel(() => [org]);
        const [orgNode] = tree.children();
        const filter = await probe(() => {
          tree.filter = 'ann';
          for (const group of tree.children(orgNode) as GroupNode[]) tree.children(group);
        });
        record('filter', filter);
        (searchFirst['Tree filter'] ??= []).push(filter.wallMs);
        tree.filter = 'lee';
        const warmStart = now();
        for (const group of tree.children(orgNode) as GroupNode[]) tree.children(group);
        (searchWarm['Tree filter'] ??= []).push(now() - warmStart);
        tree.filter = '';
        const groups = tree.children(orgNode) as GroupNode[];
        const largest = groups.reduce((a, b) => (tree.groupCount(org, b.group) > tree.groupCount(org, a.group) ? b : a));
        record('expand', await probe(() => tree.children(largest)));

        // Refresh, then a burst of events, then the refetch after the queue is forgotten.
        record('refresh', await probe(() => org.refresh()));
        const lastChange = new Promise<void>((resolve) => {
          let seen = 0;
          const sub = org.onDidChangeMembers(() => {
            if (++seen < BURST_EVENTS) return;
            sub.dispose();
            resolve();
          });
        });
        record('burst', await probe(async () => {
          await server.burst(BURST_EVENTS);
          await lastChange;
        }));
        const refetched = new Promise<void>((resolve) => {
          const sub = org.onDidChangeMembers((change) => {
            if (!change.reset) return;
            sub.dispose();
            resolve();
          });
        });
        record('reconnect', await probe(async () => {
          await server.dropQueues();
          await refetched;
          await until(org, (s) => s.kind === 'ready');
        }));
        await org.saveToDisk();
        await org.dispose();

        // Restart with the disk cache: how soon the cached members show, and the longest block.
        const restarted = new Organization(benchAccount(server), newClient(), { cacheDir, ...fast });
        const started = now();
        let shownAt = 0;
        restarted.onDidChangeMembers(() => (shownAt ||= now() - started));
        record('cacheRestart', await probe(() => restarted.start()));
        cacheShown.push(shownAt);
        await restarted.dispose();

        // Sign-out in the middle of a load: dispose once the answer is arriving.
        const leaving = new Organization(benchAccount(server), newClient(), { cacheDir: mkdtempSync(path.join(os.tmpdir(), 'zulip-bench-leave-')), ...fast });
        record('signOut', await probe(async () => {
          const starting = leaving.start();
          await new Promise((r) => setTimeout(r, size >= 100_000 ? 400 : 20));
          await leaving.dispose();
          await starting;
          await leaving.deleteCache();
        }));
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
      }
      log(`  run ${r + 1}: ${Object.entries(blocks).map(([k, v]) => `${k} ${v[v.length - 1].toFixed(1)}`).join(', ')} ms`);
    }

    const result: BlockingResult = {
      members: size,
      blocks: Object.fromEntries(
        Object.keys(SCENARIOS).map((k) => [
          k,
          { medianMs: median(blocks[k] ?? []), worstMs: Math.max(...(blocks[k] ?? [NaN])), cpuMedianMs: median(cpuBlocks[k] ?? []), cpuWorstMs: Math.max(...(cpuBlocks[k] ?? [NaN])) },
        ]),
      ),
      load: os.loadavg()[0],
      floorMs: median(floor),
      floorCpuMs: median(floorCpu),
      slicedWallMs: median(sliced),
      slicedCpuMs: median(slicedCpu),
      heapFloorBytes: median(heapFloor),
      heapSlicedBytes: median(heapSliced),
      cacheShownMs: median(cacheShown),
      search: Object.fromEntries(Object.keys(searchFirst).map((k) => [k, { firstMs: median(searchFirst[k]), warmMs: median(searchWarm[k]) }])),
    };
    log(`  floor ${result.floorMs.toFixed(0)} ms, sliced pipeline ${result.slicedWallMs.toFixed(0)} ms (CPU ${result.slicedCpuMs.toFixed(0)} / ${result.floorCpuMs.toFixed(0)} ms), cache shown after ${result.cacheShownMs.toFixed(0)} ms`);
    return result;
  } finally {
    await server.close();
  }
}

const ms = (v: number, digits = 1) => `${v.toFixed(digits)} ms`;
const ratio = (v: number) => `${v.toFixed(2)}×`;
const mb = (v: number) => `${(v / 2 ** 20).toFixed(1)} MB`;
const mark = (ok: boolean) => (ok ? '✅ met' : '❌ missed');

/** The Markdown table of these measurements, sizes side by side, targets checked at the largest. */
export function blockingTable(results: BlockingResult[]): string {
  const largest = results[results.length - 1];
  const header = ['Measurement', ...results.map((r) => `${r.members.toLocaleString('en-US')} members`), 'Target', 'Met'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`];
  const row = (label: string, value: (r: BlockingResult) => string, target = '', met?: (r: BlockingResult) => boolean) =>
    lines.push(`| ${[label, ...results.map(value), target, met ? mark(met(largest)) : ''].join(' | ')} |`);
  for (const [key, label] of Object.entries(SCENARIOS)) {
    row(
      `Longest block: ${label} — wall clock median / worst run; CPU time median / worst`,
      (r) => `${ms(r.blocks[key].medianMs)} / ${ms(r.blocks[key].worstMs)}; CPU ${ms(r.blocks[key].cpuMedianMs)} / ${ms(r.blocks[key].cpuWorstMs)}`,
      '≤ 16 ms typical, ≤ 50 ms worst (wall)',
      (r) => r.blocks[key].medianMs <= FRAME_MS && r.blocks[key].worstMs <= WORST_BLOCK_MS,
    );
  }
  row('Floor: JSON.parse of the response bytes (decode + parse; wall / CPU)', (r) => `${ms(r.floorMs, 0)} / ${ms(r.floorCpuMs, 0)}`);
  row('Sliced: response bytes → tree root rows (wall)', (r) => ms(r.slicedWallMs, 0), '≤ 2× floor', (r) => r.slicedWallMs <= 2 * r.floorMs);
  row('Sliced ÷ floor, wall to the root rows', (r) => ratio(r.slicedWallMs / r.floorMs));
  row('Sliced ÷ floor, CPU of the whole load (with the background sort)', (r) => ratio(r.slicedCpuMs / r.floorCpuMs), '≤ 1.5×', (r) => r.slicedCpuMs <= 1.5 * r.floorCpuMs);
  row('Heap: JSON.parse alone / members loaded (sliced)', (r) => `${mb(r.heapFloorBytes)} / ${mb(r.heapSlicedBytes)}`);
  row('Heap ÷ JSON.parse', (r) => ratio(r.heapSlicedBytes / r.heapFloorBytes), '≤ 1.25×', (r) => r.heapSlicedBytes <= 1.25 * r.heapFloorBytes);
  row('Restart with the disk cache: members shown after start()', (r) => ms(r.cacheShownMs, 0), '≤ 300 ms', (r) => r.cacheShownMs <= 300);
  for (const kind of Object.keys(largest.search)) {
    row(`${kind}: first search after a load (median keystroke)`, (r) => ms(r.search[kind].firstMs, 2), '≤ 5 ms', (r) => r.search[kind].firstMs <= 5);
    row(`${kind}: warm (median keystroke)`, (r) => ms(r.search[kind].warmMs, 2), '≤ 5 ms', (r) => r.search[kind].warmMs <= 5);
  }
  row('Load average (1 min) while measured', (r) => r.load.toFixed(1));
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000,100000' }, runs: { type: 'string', default: '5' } } });
  const results: BlockingResult[] = [];
  for (const size of values.sizes.split(',').map(Number)) results.push(await measureBlocking(size, Number(values.runs), console.log));
  console.log('\n' + blockingTable(results));
}

runAsCommand(module, main);
