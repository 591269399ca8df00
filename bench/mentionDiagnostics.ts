// Times mention diagnostics of a 10,000-line Markdown file with 2,000 mentions at 100,000
// members, in plain Node (parse, resolve, diagnose), and the re-diagnosis after a one-line edit:
//   npx tsx bench/mentionDiagnostics.ts [members]
// Prints median and p99; not a test (no thresholds). Targets: 20 ms and 2 ms.
import { MemberIndex } from '../src/model/memberIndex';
import { membersNamed } from '../src/model/memberNames';
import { DocumentDiagnostics, type DiagnosticsContext } from '../src/model/mentionDiagnostics';
import { MentionDocument } from '../src/model/mentionDocument';
import type { MentionOrganization } from '../src/model/mentionResolver';
import { withUserDefaults } from '../src/zulip/client';
import type { User } from '../src/zulip/types';

const count = Number(process.argv[2] ?? 100_000);
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
  // A short code block now and then.
  if (i % 200 === 0 || i % 200 === 3) return '```';
  if (i % 37 === 0) return '';
  const u = (i * 7919) % count;
  const mention = [`@**${nameOf(u)}**`, `@**${nameOf(u)}|${u + 1}**`, `@**|${u + 1}**`, '@**Nobody Here**', `@_**${nameOf(u)}**`][i % 5];
  const prefix = i % 23 === 0 ? '> ' : i % 29 === 0 ? '- ' : '';
  return i % MENTION_EVERY === 0 ? `${prefix}Please ask ${mention} about item ${i}.` : `${prefix}Plain text for line ${i}, with \`code\` and **bold**.`;
}
const lines = Array.from({ length: LINES }, (_, i) => line(i));

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(3)} ms, p99 ${at(0.99).toFixed(3)} ms (${samples.length} runs)`;
}

// The first lookup builds the name table (once per index; patched per change after that).
membersNamed(org.members, 'warm up');
const full: number[] = [];
const fullCpu: number[] = [];
let diagnostics: DocumentDiagnostics | undefined;
let doc: MentionDocument | undefined;
for (let r = 0; r < RUNS; r++) {
  const start = performance.now();
  const cpu = process.cpuUsage();
  doc = new MentionDocument('markdown', lines);
  diagnostics = new DocumentDiagnostics(doc, context);
  full.push(performance.now() - start);
  const used = process.cpuUsage(cpu);
  fullCpu.push((used.user + used.system) / 1000);
}
console.log(`${count} members, ${LINES} lines, ${doc!.all().length} mentions, ${diagnostics!.all().length} diagnostics`);
console.log(`whole document (parse + resolve + diagnose): ${stats(full)}`);
// On a shared machine the wall clock includes waiting for a core; CPU time does not (it does include GC threads).
console.log(`  the same in CPU time of this process: ${stats(fullCpu)}`);

const edit: number[] = [];
for (let r = 0; r < EDITS; r++) {
  const at = 1 + ((r * 331) % (LINES - 2));
  const start = performance.now();
  const reparsed = doc!.edit(at, 1, [`Edited ${r}: ask @**${nameOf(r)}** now`]);
  diagnostics!.edited(at, 1, 1, reparsed);
  diagnostics!.all();
  edit.push(performance.now() - start);
}
console.log(`one-line edit (reparse its paragraph, re-diagnose, list all): ${stats(edit)}`);

const enter: number[] = [];
for (let r = 0; r < EDITS; r++) {
  const at = 1 + ((r * 577) % (LINES - 2));
  const start = performance.now();
  // Enter in the middle of a line: one line becomes two, every later line moves down.
  const reparsed = doc!.edit(at, 1, [`Split ${r} @**${nameOf(r)}**`, 'rest of the line']);
  diagnostics!.edited(at, 1, 2, reparsed);
  diagnostics!.all();
  enter.push(performance.now() - start);
}
console.log(`a new line (later lines move: their diagnostics follow, not re-diagnosed): ${stats(enter)}`);

const members: number[] = [];
for (let r = 0; r < RUNS; r++) {
  org.members.update({ user_id: 1 + r, full_name: `Renamed ${r}` });
  const start = performance.now();
  diagnostics!.recomputeAll();
  members.push(performance.now() - start);
}
console.log(`member change (resolve every mention again, no parsing): ${stats(members)}`);
