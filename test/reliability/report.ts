// Writes RELIABILITY.md from what the test run recorded under test-results/reliability/, and fails
// when a fault was not survived, a hostile input executed, a secret was found, or something the
// figures claim was never tried (a fault of the catalog, an input of the hostile corpus, a surface,
// a layer). Run at the end of `npm test`; `--clean` (at its start) forgets an earlier run.
//   tsx test/reliability/report.ts [--clean] [--out RELIABILITY.md]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hostileInputs } from '../../server/hostile';
import { ALL_FAULTS } from './faultCatalog';
import { reliabilityDir, type Layer, type Outcome } from './outcomes';

/** Surfaces every hostile input must be tried on, in VS Code and rendered in the browser. */
export const SURFACES = ['Members tree row and tooltip', 'mention hover card', 'completion list', 'Find Member quick pick', 'profile panel', 'notification', 'mention diagnostics and quick fixes', 'Markdown preview'] as const;
/** Checks of how keys travel, besides the scan. */
export const TRANSPORT_CHECKS: Record<string, string> = {
  'plain-http-warning': 'Plain http to another machine: modal warning, nothing sent without confirmation (typed or zuliprc)',
  'tls-error-reported': 'TLS failures (self-signed certificate, unreadable CA bundle) reported, naming the host',
  'tls-ca-bundle': 'zulip.caBundlePath trusts a self-signed server, certificates still checked',
};
const LAYERS: Layer[] = ['unit', 'integration', 'e2e'];

export function readOutcomes(dir: string): Outcome[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) =>
      fs
        .readFileSync(path.join(dir, name), 'utf8')
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as Outcome),
    );
}

export interface Figures {
  markdown: string;
  problems: string[];
}

const count = (n: number) => n.toLocaleString('en-US');

export function buildReport(outcomes: Outcome[]): Figures {
  const problems: string[] = [];
  for (const o of outcomes.filter((x) => !x.ok)) {
    const what = o.kind === 'fault' ? 'not survived' : o.kind === 'hostile' ? 'executed or not shown as text' : 'secret found or scan incomplete';
    problems.push(`${o.kind} "${o.name}"${o.surface ? ` on ${o.surface}` : ''} (${o.layer}): ${what}${o.detail ? ` — ${o.detail}` : ''}`);
  }

  // ---- Faults ----
  const faults = outcomes.filter((o) => o.kind === 'fault');
  const faultRows = ALL_FAULTS.map((f) => {
    const trials = faults.filter((o) => o.name === f.id);
    const per = LAYERS.map((layer) => trials.filter((o) => o.layer === layer).length);
    if (trials.length === 0) problems.push(`fault "${f.name}" was never tried`);
    else if (per[1] + per[2] === 0) problems.push(`fault "${f.name}" was not tried against the extension (integration or end-to-end)`);
    const survived = trials.length > 0 && trials.every((o) => o.ok);
    return { f, per, trials: trials.length, survived };
  });
  const unknownFaults = [...new Set(faults.map((o) => o.name))].filter((id) => !ALL_FAULTS.some((f) => f.id === id));
  for (const id of unknownFaults) problems.push(`fault "${id}" is not in the catalog`);
  const faultKindsSurvived = faultRows.filter((r) => r.survived).length;

  // ---- Hostile content ----
  const hostile = outcomes.filter((o) => o.kind === 'hostile');
  const corpus = hostileInputs();
  const corpusIds = new Set(corpus.map((i) => i.id));
  const renderings = hostile.filter((o) => corpusIds.has(o.name));
  const properties = hostile.filter((o) => !corpusIds.has(o.name));
  for (const input of corpus) if (!renderings.some((o) => o.name === input.id && o.layer !== 'unit')) problems.push(`hostile input "${input.id}" was never shown in VS Code`);
  const surfaceRows = SURFACES.map((surface) => {
    const per = LAYERS.map((layer) => new Set(renderings.filter((o) => o.surface === surface && o.layer === layer).map((o) => o.name)).size);
    for (const layer of ['integration', 'e2e'] as const) {
      if (!renderings.some((o) => o.surface === surface && o.layer === layer)) problems.push(`surface "${surface}" was not covered at the ${layer} layer`);
    }
    const executed = renderings.filter((o) => o.surface === surface && !o.ok).length;
    return { surface, per, executed };
  });
  const executed = hostile.filter((o) => !o.ok).length;

  // ---- Secrets ----
  const secrets = outcomes.filter((o) => o.kind === 'secrets');
  const scans = secrets.filter((o) => o.secretsSearched !== undefined);
  if (scans.length === 0) problems.push('no secret scan ran');
  const found = scans.reduce((sum, o) => sum + (o.found ?? 0), 0);
  const checks = Object.entries(TRANSPORT_CHECKS).map(([id, text]) => {
    const runs = secrets.filter((o) => o.name === id);
    if (runs.length === 0) problems.push(`check "${id}" never ran`);
    return { text, runs: runs.length, ok: runs.length > 0 && runs.every((o) => o.ok) };
  });

  const yes = (ok: boolean) => (ok ? 'yes' : '**NO**');
  const lines = [
    '# Reliability and security figures',
    '',
    'Written by `npm test` (`test/reliability/report.ts`) from what its unit, integration (VS Code extension host) and',
    'end-to-end (packaged extension in code-server, driven in Chromium) tests recorded under `test-results/reliability/`.',
    '`npm test` fails when a fault is not survived, a hostile input executes, a secret is found, or one of the',
    'faults, inputs or surfaces below was not tried.',
    '',
    '| | tried | outcome |',
    '|---|---|---|',
    `| Faults (kinds of the catalog) | ${faultRows.length} kinds, ${count(faults.length)} trials | ${faultKindsSurvived} survived, ${faultRows.length - faultKindsSurvived} not |`,
    `| Hostile inputs (distinct strings of \`server/hostile.ts\`) | ${corpus.length} inputs, ${count(renderings.length)} renderings on ${SURFACES.length} surfaces | ${executed} executed |`,
    `| Property runs over arbitrary strings | ${properties.map((p) => p.name).join('; ')} | ${properties.filter((p) => !p.ok).length} executable constructs |`,
    `| Secrets (every API key and JWT the server issued or was shown) | ${scans.map((s) => `${count(s.secretsSearched ?? 0)} looked for after the ${s.name}`).join('; ')} | ${found} found |`,
    '',
    '## Faults',
    '',
    'Each fault must give one clear message (notifications are counted over a burst), retry with backoff where that makes',
    'sense, lose nothing, keep the API key in SecretStorage, and recover by itself; a 401 asks for sign-in once and offers it.',
    '',
    '| Fault | unit (model) | integration | end-to-end | survived |',
    '|---|---|---|---|---|',
    ...faultRows.map((r) => `| ${r.f.name} | ${r.per[0]} | ${r.per[1]} | ${r.per[2]} | ${yes(r.survived)} |`),
    '',
    '## Hostile content',
    '',
    'Names and fields with script and event-handler HTML, `javascript:`/`data:`/`command:` links (also made by a',
    '`url_pattern`), Markdown, a 10,000 character name, control characters, a right-to-left override, emoji, theme-icon',
    'syntax, `*` and `|`. End to end, every payload would mark the page (a global, the title, an alert) and every frame',
    'is checked; command links are clicked and the account must still be signed in.',
    '',
    '| Surface | inputs in VS Code (integration) | inputs rendered and clicked (end-to-end) | executed |',
    '|---|---|---|---|',
    ...surfaceRows.map((r) => `| ${r.surface} | ${r.per[1]} | ${r.per[2]} | ${r.executed} |`),
    '',
    `Also checked in Node: the profile page HTML for each input in every field type (${new Set(renderings.filter((o) => o.layer === 'unit').map((o) => o.name)).size} inputs), and the property runs above.`,
    '',
    '## Secrets',
    '',
    '| Check | runs | passed |',
    '|---|---|---|',
    ...scans.map((s) => `| Scan after the ${s.name}: code-server's user-data-dir (logs, settings, the extension's storage), browser storage (globalState, webview state), the screen, every notification shown | ${count(s.secretsSearched ?? 0)} secrets | ${yes(s.ok && (s.found ?? 0) === 0)} (${s.found ?? 0} found) |`),
    ...checks.map((c) => `| ${c.text} | ${c.runs} | ${yes(c.ok)} |`),
    '',
  ];
  if (problems.length) lines.push('## Problems', '', ...problems.map((p) => `- ${p}`), '');
  return { markdown: lines.join('\n'), problems };
}

function main(): number {
  const args = process.argv.slice(2);
  const dir = reliabilityDir();
  if (args.includes('--clean')) {
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`Cleared ${path.relative(process.cwd(), dir)}/`);
    return 0;
  }
  const outIndex = args.indexOf('--out');
  const out = path.resolve(outIndex >= 0 ? args[outIndex + 1] : 'RELIABILITY.md');
  const { markdown, problems } = buildReport(readOutcomes(dir));
  fs.writeFileSync(out, markdown);
  console.log(`Wrote ${path.relative(process.cwd(), out)}`);
  if (problems.length) {
    console.error(`Reliability figures: ${problems.length} problem(s):`);
    for (const problem of problems) console.error(`  ${problem}`);
    return 1;
  }
  console.log('Reliability figures: every fault survived, no hostile input executed, no secret found.');
  return 0;
}

if (require.main === module) process.exit(main());
