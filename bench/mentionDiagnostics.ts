// Times mention diagnostics of a 10,000-line Markdown file with 2,000 mentions at 100,000
// members, in plain Node (parse, resolve, diagnose), and the re-diagnosis after a one-line edit:
//   node --expose-gc --import tsx bench/mentionDiagnostics.ts [members] [--json]
// Prints median and p99 (with --json, one line of medians for npm run bench, which runs it in
// several processes); not a test (no thresholds). Targets: 20 ms and 2 ms.
import { MemberIndex } from '../src/model/memberIndex';
import { membersNamed } from '../src/model/memberNames';
import { DocumentDiagnostics, type DiagnosticsContext } from '../src/model/mentionDiagnostics';
import { MentionDocument } from '../src/model/mentionDocument';
import type { MentionOrganization } from '../src/model/mentionResolver';
import { withUserDefaults } from '../src/zulip/client';
import type { User } from '../src/zulip/types';
import { median, medianAndP99 } from './stats';

const args = process.argv.slice(2);
const json = args.includes('--json');
const count = Number(args.find((a) => !a.startsWith('--')) ?? 100_000);
const LINES = 10_000;
const MENTION_EVERY = 5;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const EDITS = Number(process.env.BENCH_EDITS ?? 300);

const first = ['Ann', 'Bob', 'Cy', 'Dana', 'Émile', 'Fatima', 'Gao', 'Hamlet', 'Iago', 'Juno', 'Kai', 'Lena', 'Zoë'];
const last = ['Lee', 'Stone', 'Nguyễn', 'Okafor', 'Schmidt', 'García', '王', 'Kowalski', 'Smith', 'Ivanova'];
const nameOf = (i: number) => `${first[i % first.length]} ${last[Math.floor(i / first.length) % last.length]} ${Math.floor(i / 130) % 1000}`;
const users: User[] = Array.from({ length: count }, (_, i) => withUserDefaults({ user_id: i + 1, full_name: nameOf(i), email: `user${i + 1}@bench.example`, is_active: i % 97 !== 0 }));
const org: MentionOrganization = { id: 'bench', name: 'Bench', members: new MemberIndex(users) };
const context: DiagnosticsContext = { orgs: [org], groupsOf: () => [], selfUserIdOf: () => 1 };

// A realistic mix: paragraphs, a fence now and then, quotes, lists; every 5th line mentions someone
// (by name, by name|id, by id, unknown, silent).
function line(i: number): string {
  // A short code block now and then, and blank lines, never where a mention goes: 2,000 of them.
  if (i % 200 === 1 || i % 200 === 4) return '```';
  if (i % 37 === 0 && i % MENTION_EVERY !== 0) return '';
  const u = (i * 7919) % count;
  const mention = [`@**${nameOf(u)}**`, `@**${nameOf(u)}|${u + 1}**`, `@**|${u + 1}**`, '@**Nobody Here**', `@_**${nameOf(u)}**`][i % 5];
  const prefix = i % 23 === 0 ? '> ' : i % 29 === 0 ? '- ' : '';
  return i % MENTION_EVERY === 0 ? `${prefix}Please ask ${mention} about item ${i}.` : `${prefix}Plain text for line ${i}, with \`code\` and **bold**.`;
}
const lines = Array.from({ length: LINES }, (_, i) => line(i));

const log = (line: string) => {
  if (!json) console.log(line);
};

// The first lookup builds the name table (once per index; patched per change after that).
membersNamed(org.members, 'warm up');
const WARM_UP = 5;
// The member list of a running extension host has lived through full collections, which compact
// it; right after its objects were made, the garbage between them spreads them over more memory.
// With --expose-gc (as npm run bench runs it), one collection first puts the members as they
// will be.
const collect = (globalThis as { gc?: () => void }).gc;
collect?.();
const full: number[] = [];
const fullCpu: number[] = [];
/** The last pass's document and its diagnostics. */
const lastPass: { doc?: MentionDocument; diagnostics?: DocumentDiagnostics } = {};
for (let r = -WARM_UP; r < RUNS; r++) {
  // As when a document is opened again: the old one and its diagnostics are let go first (a
  // variable still holding them while the next are built would keep twice as much alive).
  lastPass.doc = undefined;
  lastPass.diagnostics = undefined;
  const start = performance.now();
  const cpu = process.cpuUsage();
  lastPass.doc = new MentionDocument('markdown', lines);
  lastPass.diagnostics = new DocumentDiagnostics(lastPass.doc, context);
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  if (r < 0) continue;
  full.push(wall);
  fullCpu.push((used.user + used.system) / 1000);
}
const doc = lastPass.doc!;
const diagnostics = lastPass.diagnostics!;
const mentionCount = doc.all().length;
log(`${count} members, ${LINES} lines, ${mentionCount} mentions, ${diagnostics.all().length} diagnostics`);
log(`whole document (parse + resolve + diagnose; ${WARM_UP} passes before not counted): ${medianAndP99(full)}`);
// On a shared machine the wall clock includes waiting for a core; CPU time does not (it does include GC threads).
log(`  the same in CPU time of this process: ${medianAndP99(fullCpu)}`);

const edit: number[] = [];
for (let r = 0; r < EDITS; r++) {
  const at = 1 + ((r * 331) % (LINES - 2));
  const start = performance.now();
  const reparsed = doc.edit(at, 1, [`Edited ${r}: ask @**${nameOf(r)}** now`]);
  diagnostics.edited(at, 1, 1, reparsed);
  diagnostics.all();
  edit.push(performance.now() - start);
}
log(`one-line edit (reparse its paragraph, re-diagnose, list all): ${medianAndP99(edit)}`);

const enter: number[] = [];
for (let r = 0; r < EDITS; r++) {
  const at = 1 + ((r * 577) % (LINES - 2));
  const start = performance.now();
  // Enter in the middle of a line: one line becomes two, every later line moves down.
  const reparsed = doc.edit(at, 1, [`Split ${r} @**${nameOf(r)}**`, 'rest of the line']);
  diagnostics.edited(at, 1, 2, reparsed);
  diagnostics.all();
  enter.push(performance.now() - start);
}
log(`a new line (later lines move: their diagnostics follow, not re-diagnosed): ${medianAndP99(enter)}`);

const members: number[] = [];
for (let r = 0; r < RUNS; r++) {
  org.members.update({ user_id: 1 + r, full_name: `Renamed ${r}` });
  const start = performance.now();
  diagnostics.recomputeAll();
  members.push(performance.now() - start);
}
log(`member change (resolve every mention again, no parsing): ${medianAndP99(members)}`);
if (json) {
  console.log(
    JSON.stringify({ members: count, lines: LINES, mentions: mentionCount, collected: collect !== undefined, wholeMs: median(full), wholeCpuMs: median(fullCpu), editMs: median(edit), newLineMs: median(enter), memberChangeMs: median(members) }),
  );
}
