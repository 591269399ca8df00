// Mentions in documents at 100,000 members, for npm run bench: diagnostics of a large Markdown
// file (bench/mentionDiagnostics.ts) and ranking as completion and Find Member do
// (bench/mentionRanking.ts). Each script runs in processes of its own, several times: a single
// process's median moves by a few milliseconds with where its heap happened to put the members,
// so the table gives the median of the processes' medians and their range. Each process is held
// to one core where `taskset` exists: on a 2-core machine the scheduler otherwise moves it to the
// other core whenever the collector's helper threads wake, and each move costs the caches (a
// process then took 15 or 21 ms, by luck). Diagnostics also run free to move, and without
// --expose-gc (with the members as first made, before a full collection compacted them).
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { median } from './stats';

export const MENTION_PROCESSES = 5;
/** Processes for each other way of diagnosing (free to move between cores; members as first made). */
const OTHER_PROCESSES = 3;
/** The 3-letter queries of bench/mentionRanking.ts: a common prefix, folded accents, a surname, a short one. */
const THREE_LETTERS = ['ann', 'zoe', 'ngu', 'lee'];

interface DiagnosticsRun {
  /** The heap was collected once before the passes (run with --expose-gc). */
  collected: boolean;
  members: number;
  lines: number;
  mentions: number;
  wholeMs: number;
  wholeCpuMs: number;
  editMs: number;
  newLineMs: number;
  memberChangeMs: number;
}

interface RankingRun {
  members: number;
  firstMs: number;
  afterRenameMs: number;
  medians: Record<string, number>;
}

export interface MentionsResult {
  processes: number;
  members: number;
  lines: number;
  mentions: number;
  diagnostics: DiagnosticsRun[];
  uncollected: DiagnosticsRun[];
  unpinned: DiagnosticsRun[];
  ranking: RankingRun[];
  /** The core the processes were held to (undefined: taskset is missing). */
  core?: number;
}

/** The last core, where `taskset` exists (util-linux). */
const PIN_CORE = spawnSync('taskset', ['--version'], { encoding: 'utf8' }).status === 0 ? os.cpus().length - 1 : undefined;

function runScript<T>(script: string, { exposeGc = true, pin = true } = {}): T {
  const node = [process.execPath, ...(exposeGc ? ['--expose-gc'] : []), '--import', 'tsx', path.join(__dirname, script), '--json'];
  const command = pin && PIN_CORE !== undefined ? ['taskset', '-c', String(PIN_CORE), ...node] : node;
  const child = spawnSync(command[0], command.slice(1), { encoding: 'utf8', cwd: path.resolve(__dirname, '..') });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) throw new Error(`bench/${script} failed (exit ${child.status}): ${child.stderr.slice(-2000)}`);
  return JSON.parse(line) as T;
}

export function measureMentions(processes: number, log: (line: string) => void): MentionsResult {
  const diagnostics: DiagnosticsRun[] = [];
  const ranking: RankingRun[] = [];
  for (let i = 0; i < processes; i++) {
    diagnostics.push(runScript<DiagnosticsRun>('mentionDiagnostics.ts'));
    ranking.push(runScript<RankingRun>('mentionRanking.ts'));
    log(`mentions in documents, process ${i + 1} of ${processes}: whole document ${diagnostics[i].wholeMs.toFixed(1)} ms, one-line edit ${diagnostics[i].editMs.toFixed(2)} ms`);
  }
  const unpinned: DiagnosticsRun[] = [];
  const uncollected: DiagnosticsRun[] = [];
  for (let i = 0; i < OTHER_PROCESSES; i++) {
    unpinned.push(runScript<DiagnosticsRun>('mentionDiagnostics.ts', { pin: false }));
    uncollected.push(runScript<DiagnosticsRun>('mentionDiagnostics.ts', { exposeGc: false }));
  }
  const [first] = diagnostics;
  return { processes, members: first.members, lines: first.lines, mentions: first.mentions, diagnostics, uncollected, unpinned, ranking, core: PIN_CORE };
}


interface Row {
  label: string;
  values: number[];
  digits: number;
  target?: number;
}

function rows(r: MentionsResult): Row[] {
  const d = (get: (run: DiagnosticsRun) => number) => r.diagnostics.map(get);
  return [
    {
      label: `Diagnostics of a ${r.lines.toLocaleString('en-US')}-line Markdown file with ${r.mentions.toLocaleString('en-US')} mentions (parse, resolve, diagnose)${r.core === undefined ? '' : `, on core ${r.core}`}`,
      values: d((x) => x.wholeMs),
      digits: 1,
      target: 20,
    },
    { label: 'The same, CPU time of the process (garbage collection threads included)', values: d((x) => x.wholeCpuMs), digits: 1 },
    { label: `The same, free to move between cores (${r.unpinned.length} processes)`, values: r.unpinned.map((x) => x.wholeMs), digits: 1 },
    { label: `The same with the members as first made, before a full collection (${r.uncollected.length} processes)`, values: r.uncollected.map((x) => x.wholeMs), digits: 1 },
    { label: 'Re-diagnosis after a one-line edit (its paragraph parsed again)', values: d((x) => x.editMs), digits: 2, target: 2 },
    { label: 'A new line (later lines move, their diagnostics follow)', values: d((x) => x.newLineMs), digits: 2 },
    { label: 'A member renamed (every mention resolved again, no parsing)', values: d((x) => x.memberChangeMs), digits: 1 },
    { label: `Ranking a 3-letter query (slowest of ${THREE_LETTERS.map((q) => `"${q}"`).join(', ')})`, values: r.ranking.map((x) => Math.max(...THREE_LETTERS.map((q) => x.medians[q]))), digits: 3, target: 5 },
    { label: 'Ranking a typed id ("4711")', values: r.ranking.map((x) => x.medians['4711']), digits: 3 },
    { label: 'First ranking with no table built (folds every name in one block; after a load the table is built in the background)', values: r.ranking.map((x) => x.firstMs), digits: 1 },
  ];
}

/** Targets missed, by label (empty when all are met). */
export function mentionsMissed(r: MentionsResult): string[] {
  return rows(r)
    .filter((row) => row.target !== undefined && median(row.values) > row.target)
    .map((row) => row.label);
}

export const MENTION_TARGETS = 3;

export function mentionsTable(r: MentionsResult): string {
  const lines = [
    `| Measurement at ${r.members.toLocaleString('en-US')} members | Median of ${r.processes} processes | Range | Target | Met |`,
    '| --- | ---: | ---: | ---: | --- |',
  ];
  for (const row of rows(r)) {
    const m = median(row.values);
    const range = `${Math.min(...row.values).toFixed(row.digits)}–${Math.max(...row.values).toFixed(row.digits)} ms`;
    const met = row.target === undefined ? '' : m <= row.target ? '✅ met' : '❌ missed';
    lines.push(`| ${row.label} | ${m.toFixed(row.digits)} ms | ${range} | ${row.target === undefined ? '' : `≤ ${row.target} ms`} | ${met} |`);
  }
  return lines.join('\n');
}
