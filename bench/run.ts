// npm run bench: speed and memory with 1,000, 10,000 and 100,000 members, side by side with
// zulip-js and with the JSON.parse floor. Prints a table (medians of several runs) and, with
// --write, writes it to BENCHMARKS.md with the machine it ran on. A benchmark, not a test: it
// marks targets met or missed but never fails on them (exit code 0 unless it could not run).
//
//   node --expose-gc --import tsx bench/run.ts [--write] [--sizes 1000,10000,100000] [--runs 7]
//
// The repository's Zulip server runs in a child process (bench/server.ts), so its work and heap
// stay out of the measurements. Everything measured here is the extension's own code: the
// client's GET /users parsing, MemberIndex, the Members tree model, the mention card function,
// Organization, findMembers, and the production bundle's activate().
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import fetch from 'node-fetch';
import zulipInit from 'zulip-js';
import { findMembers } from '../src/model/findMembers';
import { avatarUrl } from '../src/model/memberInfo';
import { MemberIndex } from '../src/model/memberIndex';
import { prepareNames } from '../src/model/memberNames';
import { prepareRanking } from '../src/model/mentionRanking';
import { Slicer } from '../src/zulip/slices';
import { mentionAt } from '../src/model/mentionParser';
import { Organization } from '../src/model/organization';
import { ZulipClient, usersFromResponse, withUserDefaults } from '../src/zulip/client';
import type { User, UserGroup } from '../src/zulip/types';
import { MemberTreeModel, type GroupNode, type MemberSource } from '../src/views/memberTreeModel';
import { groupLabel } from '../src/views/memberRowText';
import { cardOrganization, mentionCardAt, type CardOrganization } from '../src/views/mentionCard';
import { benchAccount, blockingTable, measureBlocking, type BlockingResult } from './blocking';
import { measurePeople, peopleTable, PEOPLE_GROUPS, PEOPLE_MEMBERS, type PeopleResult } from './people';
import { mentionDocument, type MentionKind } from './document';
import { MENTION_PROCESSES, MENTION_TARGETS, measureMentions, mentionsMissed, mentionsTable, type MentionsResult } from './mentionsInDocuments';
import { ServerProcess } from './serverProcess';
import { median, percentile } from './stats';
import { runAsCommand } from '../scripts/runAsCommand';

const ROOT = path.resolve(__dirname, '..');
/**
 * After this process was busy for seconds measuring, an HTTP agent may reuse kept-alive
 * connections the server closed meanwhile ("socket hang up"): such an attempt is repeated.
 */
const RESET_ATTEMPTS = 4;

async function retryingReset<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      const { code, kind } = error as { code?: string; kind?: string };
      if ((code !== 'ECONNRESET' && kind !== 'connection') || attempt >= RESET_ATTEMPTS) throw error;
    }
  }
}
const USERS_QUERY = { clientGravatar: true, includeCustomProfileFields: true } as const;

/**
 * The bytes of the GET /users answer the extension gets (the same query and transport as
 * ZulipClient.getUsers: node-fetch, Basic auth, gzip), as text: what the pipeline starts from.
 */
async function usersText(server: { url: string; email: string; apiKey: string }): Promise<string> {
  const response = await fetch(`${server.url}/api/v1/users?client_gravatar=true&include_custom_profile_fields=true`, {
    headers: { Authorization: `Basic ${Buffer.from(`${server.email}:${server.apiKey}`).toString('base64')}`, 'Accept-Encoding': 'gzip' },
  });
  if (!response.ok) throw new Error(`GET /users answered HTTP ${response.status}`);
  return response.text();
}

const now = (): number => performance.now();

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  gc();
}

/** Holds references until the measurement is over, so the optimizer cannot drop the work. */
const sink: unknown[] = [];

// ---- The pipeline: response text → Members tree root children ready ----

interface Loaded {
  source: MemberSource;
  tree: MemberTreeModel;
  /** The group rows' labels, with counts, as the tree shows them. */
  labels: string[];
}

interface Stages {
  parse: number;
  defaults: number;
  index: number;
  tree: number;
}

/**
 * What the extension does with a GET /users answer up to the Members tree's root children being
 * ready: the client's parse (JSON.parse, then usersFromResponse as getUsers does), the
 * organization's MemberIndex.reset (Organization.fetchAll), and the tree's children of the
 * organization node with each group row's label and count (MemberTreeProvider.getChildren and
 * getTreeItem → memberTreeItems).
 */
function loadFromText(text: string, stages?: Stages): Loaded {
  const t0 = now();
  const body = JSON.parse(text) as { result: string; members?: User[] };
  const t1 = now();
  const users = usersFromResponse(body);
  const t2 = now();
  const loaded = loadUsers(users, stages);
  if (stages) {
    stages.parse = t1 - t0;
    stages.defaults = t2 - t1;
  }
  return loaded;
}

function loadUsers(users: User[], stages?: Stages): Loaded {
  const t0 = now();
  const source = { id: 'bench', name: 'Bench', members: new MemberIndex(), state: { kind: 'ready' as const } };
  source.members.reset(users);
  const t1 = now();
  const tree = new MemberTreeModel(() => [source]);
  const [orgNode] = tree.children();
  const groups = tree.children(orgNode) as GroupNode[];
  const labels = groups.map((g) => groupLabel(g.group, tree.groupCount(source, g.group)));
  const t2 = now();
  if (stages) {
    stages.index = t1 - t0;
    stages.tree = t2 - t1;
  }
  return { source, tree, labels };
}

// ---- Measurements ----

interface SizeResult {
  members: number;
  responseBytes: number;
  floorMs: number;
  pipelineMs: number;
  stages: Stages;
  oursFetchMs: number;
  zulipJsFetchMs: number;
  transportMs: number;
  oursCpuMs: number;
  zulipJsCpuMs: number;
  heapFloorBytes: number;
  heapPipelineBytes: number;
  hoverMedianMs: number;
  hoverP99Ms: number;
  hoverMaxMs: number;
  hovers: number;
  firstHoverMs: number;
  hoverByKind: Record<string, { count: number; medianMs: number; p99Ms: number }>;
  paletteFirstMs: number;
  paletteAfterChangeMs: number;
  paletteWarmMs: number;
  paletteWarmMaxMs: number;
  requests: Record<string, number>;
  perMemberRequests: number;
  groups: string[];
}

function heapGrowth(make: () => unknown): number {
  collect();
  const before = process.memoryUsage().heapUsed;
  // Held in the sink until measured, then let go.
  sink.push(make());
  collect();
  const after = process.memoryUsage().heapUsed;
  sink.length = 0;
  return after - before;
}

async function measureSize(members: number, runs: number, log: (line: string) => void): Promise<SizeResult> {
  log(`\n${members.toLocaleString('en-US')} members: starting the server…`);
  const server = await ServerProcess.start(members);
  try {
    const client = new ZulipClient({ site: server.url, email: server.email, apiKey: server.apiKey });
    // The exact answer the extension gets: same request (client_gravatar, custom profile fields).
    const text = await usersText(server);
    const responseBytes = Buffer.byteLength(text);
    const count = (JSON.parse(text) as { members: unknown[] }).members.length;

    // 1, 2: floor and pipeline, from the same text in memory. Alternated, each after a full GC.
    log('  parse floor and pipeline…');
    const floor: number[] = [];
    const pipeline: number[] = [];
    const stageRuns: Stages[] = [];
    for (let r = -2; r < runs; r++) {
      collect();
      let t = now();
      sink.push(JSON.parse(text));
      const f = now() - t;
      sink.length = 0;
      collect();
      const stages: Stages = { parse: 0, defaults: 0, index: 0, tree: 0 };
      t = now();
      sink.push(loadFromText(text, stages));
      const p = now() - t;
      sink.length = 0;
      if (r < 0) continue; // warm-up
      floor.push(f);
      pipeline.push(p);
      stageRuns.push(stages);
    }
    const stages: Stages = {
      parse: median(stageRuns.map((s) => s.parse)),
      defaults: median(stageRuns.map((s) => s.defaults)),
      index: median(stageRuns.map((s) => s.index)),
      tree: median(stageRuns.map((s) => s.tree)),
    };

    // 4: heap kept by the loaded members vs by JSON.parse's result alone.
    log('  heap…');
    const heapFloor: number[] = [];
    const heapPipeline: number[] = [];
    for (let r = 0; r < Math.max(5, Math.min(runs, 7)); r++) {
      heapFloor.push(heapGrowth(() => JSON.parse(text)));
      heapPipeline.push(heapGrowth(() => loadFromText(text)));
    }

    // 3: fetch end to end, ours vs zulip-js, alternating which goes first.
    log('  fetch: ours vs zulip-js…');
    // Let the event loop see the server close the kept-alive connection the measurements above
    // left idle (they block the loop for seconds); reusing it would fail with "socket hang up".
    await new Promise((resolve) => setTimeout(resolve, 200));
    const zulip = await zulipInit({ username: server.email, apiKey: server.apiKey, realm: server.url });
    const ours: number[] = [];
    const theirs: number[] = [];
    const transport: number[] = [];
    const oursCpu: number[] = [];
    const theirsCpu: number[] = [];
    const cpuSince = (start: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1000;
    };
    const runOurs = async () => {
      collect();
      const cpu = process.cpuUsage();
      const t = now();
      const users = await retryingReset(() => client.getUsers(USERS_QUERY));
      sink.push(loadUsers(users));
      ours.push(now() - t);
      oursCpu.push(cpuSince(cpu));
      sink.length = 0;
    };
    const runTheirs = async () => {
      collect();
      const cpu = process.cpuUsage();
      const t = now();
      // zulip-js sends params as given: the same query the extension sends.
      const answer = await retryingReset(() => zulip.users.retrieve({ client_gravatar: true, include_custom_profile_fields: true }));
      theirs.push(now() - t);
      theirsCpu.push(cpuSince(cpu));
      if (answer.members?.length !== count) throw new Error(`zulip-js got ${answer.members?.length} members, not ${count}: ${answer.msg}`);
      sink.length = 0;
    };
    const runTransport = async () => {
      collect();
      const t = now();
      sink.push(await retryingReset(() => usersText(server)));
      transport.push(now() - t);
      sink.length = 0;
    };
    await runOurs();
    await runTheirs();
    await runTransport();
    ours.length = 0;
    theirs.length = 0;
    transport.length = 0;
    oursCpu.length = 0;
    theirsCpu.length = 0;
    for (let r = 0; r < runs; r++) {
      if (r % 2 === 0) {
        await runOurs();
        await runTheirs();
      } else {
        await runTheirs();
        await runOurs();
      }
      await runTransport();
    }

    // 8 (and the live organization 5 and 6 use): the model layer's load, then 100 hovers.
    log('  organization load, requests, hovers, palette…');
    // The document is made from the organization's groups, asked for here, before counting.
    const docGroups = await client.getUserGroups();
    await server.resetRequests();
    const account = benchAccount(server);
    const org = new Organization(account, new ZulipClient({ site: server.url, email: server.email, apiKey: server.apiKey }));
    await org.start();
    if (org.state.kind !== 'ready') throw new Error(`The organization did not load: ${JSON.stringify(org.state)}`);
    // What the hover provider builds for an organization (cardOrganization), with the avatar as the
    // https URL string: the provider wraps that URL in a vscode.Uri, which plain Node lacks.
    const cardOrg = cardOrganization(org, (user) => avatarUrl(user, org.account.site));
    let groups: readonly UserGroup[] | undefined;
    const doc = mentionDocument([...org.members.all()], docGroups, 3000);
    // As MentionHoverProvider.provideHover: a group mention waits once for the organization's groups.
    const hover = async (line: string, offset: number) => {
      const mention = mentionAt(line, offset);
      if (mention?.kind === 'group' && !groups) groups = await org.userGroups();
      return mentionCardAt(line, offset, [cardOrg], () => groups);
    };
    for (const h of doc.hovers.slice(0, 100)) {
      if (!(await hover(doc.lines[h.line], h.offset))) throw new Error(`No card at line ${h.line}:${h.offset}: ${doc.lines[h.line]}`);
    }
    const log8 = await server.requests();
    const requests: Record<string, number> = {};
    for (const r of log8) {
      const key = `${r.method} ${r.path.replace(/^\/api\/v1/, '')}`;
      requests[key] = (requests[key] ?? 0) + 1;
    }
    const perMemberRequests = log8.filter((r) => /^\/api\/v1\/users\/(?!me$)[^/]+$|\/user_avatars\/|\/avatar\//.test(r.path)).length;

    // 5: hover resolution over the whole document. The first hover of a new index builds its name
    // lookup (reported apart); then passes over every mention, each hover timed alone.
    groups ??= await org.userGroups();
    const groupsOf = () => groups;
    const fresh = new MemberIndex(org.members.all());
    // As Organization does after a load: the name lookup is built in the background, in slices.
    await prepareNames(fresh, new Slicer());
    const coldOrg: CardOrganization = { ...cardOrg, members: fresh, name: org.name };
    const firstHover = doc.hovers.find((h) => h.kind === 'unique')!;
    const t = now();
    sink.push(mentionCardAt(doc.lines[firstHover.line], firstHover.offset, [coldOrg], groupsOf));
    const firstHoverMs = now() - t;
    sink.length = 0;
    const passMedians: number[] = [];
    const passP99s: number[] = [];
    const passMax: number[] = [];
    const byKind = new Map<MentionKind, number[]>();
    for (let r = -1; r < runs; r++) {
      const samples: number[] = [];
      for (const h of doc.hovers) {
        const line = doc.lines[h.line];
        const start = now();
        const card = mentionCardAt(line, h.offset, [cardOrg], groupsOf);
        const ms = now() - start;
        if (!card) throw new Error(`No card at line ${h.line}:${h.offset}`);
        samples.push(ms);
        if (r >= 0) {
          let list = byKind.get(h.kind);
          if (!list) byKind.set(h.kind, (list = []));
          list.push(ms);
        }
      }
      if (r < 0) continue; // warm-up
      passMedians.push(median(samples));
      passP99s.push(percentile(samples, 99));
      passMax.push(Math.max(...samples));
    }
    const hoverByKind: SizeResult['hoverByKind'] = {};
    for (const [kind, list] of byKind) hoverByKind[kind] = { count: list.length / runs, medianMs: median(list), p99Ms: percentile(list, 99) };

    // 6: palette filtering (Find Member…: findMembers → MemberIndex.search), 3-letter queries.
    // "First": the first search on an index that was just loaded the way Organization loads it
    // (MemberIndex.reset, then the lookup tables built in the background, in slices; a search
    // made before they are ready builds them itself, in one block); "after a change": the next search after a member joined and another
    // was renamed (realm_user events); "warm": any later search.
    const users = [...org.members.all()];
    const queries = ['ann', 'lee', 'mar', 'kim', 'son', 'ali', 'ros', 'ben', 'san', 'eli', 'ova', 'jos'];
    const someone = users[users.length >> 1];
    const first: number[] = [];
    const afterChange: number[] = [];
    for (let r = 0; r < runs; r++) {
      const index = new MemberIndex();
      index.reset(users);
      await prepareNames(index, new Slicer());
      await prepareRanking(index, new Slicer());
      collect();
      let start = now();
      sink.push(findMembers(index, queries[r % queries.length], 200));
      first.push(now() - start);
      index.add(withUserDefaults({ user_id: 10_000_000 + r, full_name: `Newcomer ${r}`, email: `newcomer${r}@example.com` }));
      index.update({ user_id: someone.user_id, full_name: `${someone.full_name} Renamed` });
      start = now();
      sink.push(findMembers(index, queries[(r + 1) % queries.length], 200));
      afterChange.push(now() - start);
      sink.length = 0;
    }
    const warmIndex = new MemberIndex();
    warmIndex.reset(users);
    findMembers(warmIndex, 'zzz', 200);
    const warm: number[] = [];
    for (let r = 0; r < runs; r++) {
      for (const q of queries) {
        const start = now();
        sink.push(findMembers(warmIndex, q, 200));
        warm.push(now() - start);
        sink.length = 0;
      }
    }

    await org.dispose();
    const result: SizeResult = {
      members: count,
      responseBytes,
      floorMs: median(floor),
      pipelineMs: median(pipeline),
      stages,
      oursFetchMs: median(ours),
      zulipJsFetchMs: median(theirs),
      transportMs: median(transport),
      oursCpuMs: median(oursCpu),
      zulipJsCpuMs: median(theirsCpu),
      heapFloorBytes: median(heapFloor),
      heapPipelineBytes: median(heapPipeline),
      hoverMedianMs: median(passMedians),
      hoverP99Ms: median(passP99s),
      hoverMaxMs: median(passMax),
      hovers: doc.hovers.length,
      firstHoverMs,
      hoverByKind,
      paletteFirstMs: median(first),
      paletteAfterChangeMs: median(afterChange),
      paletteWarmMs: median(warm),
      paletteWarmMaxMs: Math.max(...warm),
      requests,
      perMemberRequests,
      groups: loadFromText(text).labels,
    };
    log(
      `  floor ${result.floorMs.toFixed(1)} ms, pipeline ${result.pipelineMs.toFixed(1)} ms, ours ${result.oursFetchMs.toFixed(0)} ms vs zulip-js ${result.zulipJsFetchMs.toFixed(0)} ms, ` +
        `hover ${(result.hoverMedianMs * 1000).toFixed(0)}/${(result.hoverP99Ms * 1000).toFixed(0)} µs, palette ${result.paletteFirstMs.toFixed(1)}/${result.paletteAfterChangeMs.toFixed(1)}/${result.paletteWarmMs.toFixed(1)} ms`,
    );
    return result;
  } finally {
    await server.close();
  }
}

// ---- 7: activation and bundle size ----

interface ActivationResult {
  bundleBytes: number;
  loadMs: number;
  activateMs: number;
  activateWithAccountMs: number;
  commands: number;
  /** activate() in VS Code's real extension host, as the last integration run recorded it. */
  extensionHost?: { activationMs: number; vscodeVersion: string; measuredAt: string };
}

/** What test/integration/activation.test.ts wrote during the last `npm run test:integration`. */
function extensionHostActivation(): ActivationResult['extensionHost'] {
  const file = path.join(ROOT, 'test-results', 'integration', 'activation.json');
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ActivationResult['extensionHost'];
}

/** Builds the production bundle with the repository's esbuild.js, in a folder of its own. */
function buildProductionBundle(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zulip-bench-build-'));
  fs.symlinkSync(path.join(ROOT, 'src'), path.join(dir, 'src'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  fs.copyFileSync(path.join(ROOT, 'esbuild.js'), path.join(dir, 'esbuild.js'));
  const build = spawnSync(process.execPath, ['esbuild.js', '--production'], { cwd: dir, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`node esbuild.js --production failed:\n${build.stdout}${build.stderr}`);
  return path.join(dir, 'dist', 'extension.js');
}

function measureActivation(runs: number, log: (line: string) => void): ActivationResult {
  log('\nActivation: building the production bundle…');
  const bundle = buildProductionBundle();
  try {
    const once = (withAccount: boolean) => {
      const child = spawnSync(process.execPath, [path.join(__dirname, 'activate.cjs'), bundle, ...(withAccount ? ['--account'] : [])], { encoding: 'utf8' });
      const line = child.stdout.trim().split('\n').pop() ?? '';
      if (child.status !== 0 || !line.startsWith('{')) throw new Error(`Activation failed:\n${child.stderr.slice(-2000)}`);
      return JSON.parse(line) as { loadMs: number; activateMs: number; commands: number };
    };
    once(false);
    const fresh = Array.from({ length: runs }, () => once(false));
    const withAccount = Array.from({ length: runs }, () => once(true));
    const result = {
      bundleBytes: fs.statSync(bundle).size,
      loadMs: median(fresh.map((r) => r.loadMs)),
      activateMs: median(fresh.map((r) => r.activateMs)),
      activateWithAccountMs: median(withAccount.map((r) => r.activateMs)),
      commands: fresh[0].commands,
      extensionHost: extensionHostActivation(),
    };
    log(`  ${(result.bundleBytes / 1024).toFixed(1)} KB, load ${result.loadMs.toFixed(1)} ms, activate() ${result.activateMs.toFixed(2)} ms`);
    return result;
  } finally {
    fs.rmSync(path.dirname(path.dirname(bundle)), { recursive: true, force: true });
  }
}

// ---- Report ----

interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  node: string;
  os: string;
}

function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
  };
}

const ms = (v: number, digits = 1) => `${v.toFixed(digits)} ms`;
const us = (v: number) => `${(v * 1000).toFixed(0)} µs`;
const mb = (v: number) => `${(v / 2 ** 20).toFixed(1)} MB`;
const ratio = (v: number) => `${v.toFixed(2)}×`;
const n = (v: number) => v.toLocaleString('en-US');

interface Row {
  label: string;
  values: (r: SizeResult) => string;
  target?: string;
  /** Met at the largest size? */
  met?: (r: SizeResult) => boolean;
}

const ROWS: Row[] = [
  { label: 'GET /users response', values: (r) => mb(r.responseBytes) },
  { label: '1. Floor: JSON.parse of the response', values: (r) => ms(r.floorMs) },
  { label: '2. Pipeline: response → tree root children ready', values: (r) => ms(r.pipelineMs) },
  { label: '2. Pipeline ÷ floor', values: (r) => ratio(r.pipelineMs / r.floorMs), target: '≤ 1.5×', met: (r) => r.pipelineMs / r.floorMs <= 1.5 },
  { label: '3. Ours: fetch + pipeline', values: (r) => ms(r.oursFetchMs, 0) },
  { label: '3. zulip-js users.retrieve()', values: (r) => ms(r.zulipJsFetchMs, 0) },
  { label: '3. Transport only: the response as text', values: (r) => ms(r.transportMs, 0) },
  { label: '3. Ours ÷ zulip-js (wall clock)', values: (r) => ratio(r.oursFetchMs / r.zulipJsFetchMs), target: '≤ 1.2×', met: (r) => r.oursFetchMs / r.zulipJsFetchMs <= 1.2 },
  { label: '3. Ours ÷ zulip-js (CPU time of this process)', values: (r) => `${ratio(r.oursCpuMs / r.zulipJsCpuMs)} (${r.oursCpuMs.toFixed(0)} / ${r.zulipJsCpuMs.toFixed(0)} ms)` },
  { label: '4. Heap growth: JSON.parse alone', values: (r) => mb(r.heapFloorBytes) },
  { label: '4. Heap growth: members loaded', values: (r) => mb(r.heapPipelineBytes) },
  { label: '4. Loaded ÷ JSON.parse', values: (r) => ratio(r.heapPipelineBytes / r.heapFloorBytes), target: '≤ 2.5×', met: (r) => r.heapPipelineBytes / r.heapFloorBytes <= 2.5 },
  { label: '5. Hover: median per hover', values: (r) => us(r.hoverMedianMs), target: '≤ 0.1 ms', met: (r) => r.hoverMedianMs <= 0.1 },
  { label: '5. Hover: p99 per hover', values: (r) => us(r.hoverP99Ms), target: '≤ 1 ms', met: (r) => r.hoverP99Ms <= 1 },
  { label: '5. Hover: slowest (median of passes)', values: (r) => us(r.hoverMaxMs) },
  { label: '5. First hover after a load (name lookup built in the background)', values: (r) => ms(r.firstHoverMs) },
  { label: '6. Palette, 3 letters: first search after the load', values: (r) => ms(r.paletteFirstMs, 2), target: '< 16 ms', met: (r) => r.paletteFirstMs < 16 },
  {
    label: '6. Palette, 3 letters: first search after a member joined and one was renamed',
    values: (r) => ms(r.paletteAfterChangeMs, 2),
    target: '< 16 ms',
    met: (r) => r.paletteAfterChangeMs < 16,
  },
  { label: '6. Palette, 3 letters: warm', values: (r) => ms(r.paletteWarmMs, 2), target: '< 16 ms', met: (r) => r.paletteWarmMs < 16 },
  {
    label: '8. HTTP requests: load + 100 hovers',
    values: (r) => String(Object.values(r.requests).reduce((a, b) => a + b, 0)),
  },
  {
    label: '8. GET /users requests',
    values: (r) => String(r.requests['GET /users'] ?? 0),
    target: '1',
    met: (r) => (r.requests['GET /users'] ?? 0) === 1,
  },
  { label: '8. Per-member requests', values: (r) => String(r.perMemberRequests), target: '0', met: (r) => r.perMemberRequests === 0 },
];

function table(results: SizeResult[], activation: ActivationResult | undefined): string {
  const largest = results[results.length - 1];
  const header = ['Measurement', ...results.map((r) => `${n(r.members)} members`), `Target (at ${n(largest.members)})`, 'Met'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const row of ROWS) {
    const met = row.met ? (row.met(largest) ? '✅ met' : '❌ missed') : '';
    lines.push(`| ${[row.label, ...results.map(row.values), row.target ?? '', met].join(' | ')} |`);
  }
  if (activation) {
    const blank = results.map(() => '');
    const act = (label: string, value: string, target = '', met = '') => lines.push(`| ${[label, value, ...blank.slice(1), target, met].join(' | ')} |`);
    const host = activation.extensionHost;
    if (host) {
      act(`7. activate() in VS Code ${host.vscodeVersion}'s extension host (last npm run test:integration, ${host.measuredAt.slice(0, 10)})`, ms(host.activationMs, 2), '≤ 25 ms', host.activationMs <= 25 ? '✅ met' : '❌ missed');
    }
    act('7. activate() (plain Node, stand-in vscode; no account)', ms(activation.activateMs, 2), '≤ 25 ms', activation.activateMs <= 25 ? '✅ met' : '❌ missed');
    act('7. activate() with one signed-in account', ms(activation.activateWithAccountMs, 2), '≤ 25 ms', activation.activateWithAccountMs <= 25 ? '✅ met' : '❌ missed');
    act('7. Loading dist/extension.js (require)', ms(activation.loadMs));
    act('7. dist/extension.js (node esbuild.js --production)', `${(activation.bundleBytes / 1024).toFixed(1)} KB`, '≤ 250 KB', activation.bundleBytes <= 250 * 1024 ? '✅ met' : '❌ missed');
  }
  return lines.join('\n');
}

/** Which targets this run met, in one sentence. */
function summary(results: SizeResult[], activation: ActivationResult | undefined, mentions: MentionsResult | undefined): string {
  const largest = results[results.length - 1];
  const missed = ROWS.filter((row) => row.met && !row.met(largest)).map((row) => row.label);
  if (mentions) missed.push(...mentionsMissed(mentions));
  if (activation && activation.activateMs > 25) missed.push('7. activate()');
  if (activation && activation.activateWithAccountMs > 25) missed.push('7. activate() with an account');
  if (activation && activation.bundleBytes > 250 * 1024) missed.push('7. bundle size');
  if (activation?.extensionHost && activation.extensionHost.activationMs > 25) missed.push('7. activate() in the extension host');
  const checked = ROWS.filter((row) => row.met).length + (activation ? 3 : 0) + (activation?.extensionHost ? 1 : 0) + (mentions ? MENTION_TARGETS : 0);
  return missed.length === 0
    ? `**All ${checked} targets met** (checked at ${n(largest.members)} members).`
    : `**${checked - missed.length} of ${checked} targets met**; missed: ${missed.join('; ')}.`;
}

function details(results: SizeResult[]): string {
  const largest = results[results.length - 1];
  const out: string[] = [];
  out.push('Pipeline stages (medians):', '');
  out.push('| Stage | ' + results.map((r) => `${n(r.members)}`).join(' | ') + ' |');
  out.push('|---|' + results.map(() => '---:').join('|') + '|');
  const stage = (label: string, get: (s: Stages) => number) => out.push(`| ${label} | ${results.map((r) => ms(get(r.stages))).join(' | ')} |`);
  stage('JSON.parse (client: parseResponse)', (s) => s.parse);
  stage('Defaults for older servers (usersFromResponse)', (s) => s.defaults);
  stage('MemberIndex.reset (with the search text)', (s) => s.index);
  stage('Tree: organization node → group rows with counts', (s) => s.tree);
  out.push('', `Hover by kind of mention at ${n(largest.members)} members (per pass of the document):`, '');
  out.push('| Kind | Hovers | Median | p99 |', '|---|---:|---:|---:|');
  for (const [kind, s] of Object.entries(largest.hoverByKind)) out.push(`| ${kind} | ${s.count} | ${us(s.medianMs)} | ${us(s.p99Ms)} |`);
  out.push('', `Requests made by the model layer's load and 100 hovers at ${n(largest.members)} members:`, '');
  for (const [key, count] of Object.entries(largest.requests)) out.push(`- \`${key}\` × ${count}`);
  out.push('', `Tree root children at ${n(largest.members)} members: ${largest.groups.join(', ')}.`);
  return out.join('\n');
}

function markdown(
  results: SizeResult[],
  blocking: BlockingResult[],
  blockingRuns: number,
  activation: ActivationResult | undefined,
  m: Machine,
  runs: number,
  seconds: number,
  load: string,
  people: PeopleResult | undefined,
  mentions: MentionsResult | undefined,
): string {
  const template = fs.readFileSync(path.join(__dirname, 'BENCHMARKS.template.md'), 'utf8');
  return template
    .replace('{{MACHINE}}', `${m.cpu}, ${m.cores} cores, ${m.memory} memory, Node ${m.node}, ${m.os}`)
    .replace('{{DATE}}', new Date().toISOString().slice(0, 10))
    .replace('{{RUNS}}', String(runs))
    .replace('{{SECONDS}}', String(seconds))
    .replace('{{LOAD}}', load)
    .replace('{{SUMMARY}}', summary(results, activation, mentions))
    .replace('{{TABLE}}', table(results, activation))
    .replace('{{DETAILS}}', details(results))
    .replace('{{BLOCKING_RUNS}}', String(blockingRuns))
    .replace('{{BLOCKING}}', blocking.length ? blockingTable(blocking) : '(Not measured in this run: --skip-blocking.)')
    .replace('{{PEOPLE}}', people ? peopleTable(people) : '(Not measured in this run: --skip-people.)')
    .replace('{{MENTION_PROCESSES}}', String(mentions?.processes ?? MENTION_PROCESSES))
    .replace('{{MENTIONS}}', mentions ? mentionsTable(mentions) : '(Not measured in this run: --skip-mentions.)');
}

// ---- Main ----

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      write: { type: 'boolean', default: false },
      sizes: { type: 'string', default: '1000,10000,100000' },
      runs: { type: 'string', default: '7' },
      'skip-activation': { type: 'boolean', default: false },
      'skip-blocking': { type: 'boolean', default: false },
      'blocking-runs': { type: 'string', default: '3' },
      'skip-people': { type: 'boolean', default: false },
      'skip-mentions': { type: 'boolean', default: false },
    },
  });
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
    console.error('Run with --expose-gc: node --expose-gc --import tsx bench/run.ts (or npm run bench).');
    process.exit(2);
  }
  const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
  const runs = Math.max(5, Number(values.runs));
  const started = now();
  const m = machine();
  const log = (line: string) => console.log(line);
  const loadStart = os.loadavg()[0];
  log(`Zulip for VS Code benchmarks: ${m.cpu}, ${m.cores} cores, ${m.memory}, Node ${m.node}; ${runs} runs per measurement`);

  const results: SizeResult[] = [];
  for (const size of sizes) results.push(await measureSize(size, runs, log));
  const blockingRuns = Math.max(1, Number(values['blocking-runs']));
  const blocking: BlockingResult[] = [];
  if (!values['skip-blocking']) for (const size of sizes) blocking.push(await measureBlocking(size, blockingRuns, log));
  // People at the one size that matters (100,000 members, 5,000 groups): run once, the machine is shared.
  const people = values['skip-people'] ? undefined : await measurePeople({ members: PEOPLE_MEMBERS, groups: PEOPLE_GROUPS, batches: 3 }, log);
  const mentions = values['skip-mentions'] ? undefined : measureMentions(MENTION_PROCESSES, log);
  const activation = values['skip-activation'] ? undefined : measureActivation(runs, log);
  const seconds = Math.round((now() - started) / 1000);
  const loadEnd = os.loadavg()[0];
  const load = `Load average (1 min) ${loadStart.toFixed(1)} at the start and ${loadEnd.toFixed(1)} at the end${Math.max(loadStart, loadEnd) > m.cores * 0.5 ? ': other work was running, so timings are noisier than on an idle machine' : ''}.`;

  log('\n' + table(results, activation) + '\n');
  log(details(results));
  if (blocking.length) log('\n' + blockingTable(blocking));
  if (people) log('\n' + peopleTable(people));
  if (mentions) log('\n' + mentionsTable(mentions));
  log('\n' + summary(results, activation, mentions).replace(/\*\*/g, ''));
  log(`\n(${seconds} s in all) ${load}`);
  if (values.write) {
    const file = path.join(ROOT, 'BENCHMARKS.md');
    fs.writeFileSync(file, markdown(results, blocking, blockingRuns, activation, m, runs, seconds, load, people, mentions));
    log(`Wrote ${path.relative(process.cwd(), file) || file}`);
  }
}

runAsCommand(module, main);
