// RELIABILITY.md's generator: a complete, clean run passes with its figures; a fault not survived,
// an input executed, a secret found, or anything the figures claim but nobody tried, fails.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { hostileInputs } from '../../server/hostile';
import { ALL_FAULTS } from '../reliability/faultCatalog';
import type { Outcome } from '../reliability/outcomes';
import { buildReport, readOutcomes, SURFACES, TRANSPORT_CHECKS } from '../reliability/report';

function cleanRun(): Outcome[] {
  const outcomes: Outcome[] = [];
  for (const f of ALL_FAULTS) {
    outcomes.push({ kind: 'fault', name: f.id, layer: 'unit', ok: true });
    outcomes.push({ kind: 'fault', name: f.id, layer: 'integration', ok: true });
  }
  for (const input of hostileInputs()) {
    for (const surface of SURFACES) for (const layer of ['integration', 'e2e'] as const) outcomes.push({ kind: 'hostile', name: input.id, surface, layer, ok: true });
  }
  outcomes.push({ kind: 'hostile', name: 'arbitrary field values (4,000 runs)', layer: 'unit', surface: 'profile panel HTML', ok: true });
  outcomes.push({ kind: 'secrets', name: 'integration run', layer: 'integration', ok: true, secretsSearched: 76, filesScanned: 60, found: 0 });
  for (const id of Object.keys(TRANSPORT_CHECKS)) outcomes.push({ kind: 'secrets', name: id, layer: 'integration', ok: true });
  return outcomes;
}

test('a complete clean run: no problem, and the figures say so', () => {
  const { markdown, problems } = buildReport(cleanRun());
  assert.deepEqual(problems, []);
  assert.match(markdown, new RegExp(`\\| Faults \\(kinds of the catalog\\) \\| ${ALL_FAULTS.length} kinds, ${ALL_FAULTS.length * 2} trials \\| ${ALL_FAULTS.length} survived, 0 not \\|`));
  assert.match(markdown, new RegExp(`\\| ${hostileInputs().length} inputs, [\\d,]+ renderings on ${SURFACES.length} surfaces \\| 0 executed \\|`));
  assert.match(markdown, /\| 76 looked for after the integration run \| 0 found \|/);
  assert.doesNotMatch(markdown, /## Problems|\*\*NO\*\*/);
});

test('a fault not survived, an input executed, a secret found: each fails the report', () => {
  const run = cleanRun();
  run.push({ kind: 'fault', name: 'stall', layer: 'integration', ok: false, detail: 'Timed out' });
  run.push({ kind: 'hostile', name: 'name-script', surface: 'profile panel', layer: 'e2e', ok: false, detail: 'window.__zulipPwned = name-script' });
  run.push({ kind: 'secrets', name: 'integration run', layer: 'integration', ok: false, secretsSearched: 76, found: 1, detail: 'secret #3 in Zulip.log' });
  const { markdown, problems } = buildReport(run);
  assert.equal(problems.length, 3);
  assert.match(problems.join('\n'), /fault "stall" \(integration\): not survived — Timed out/);
  assert.match(problems.join('\n'), /hostile "name-script" on profile panel \(e2e\): executed/);
  assert.match(problems.join('\n'), /secret found/);
  assert.match(markdown, /\| a stall with no bytes past the timeout \| 1 \| 2 \| 0 \| \*\*NO\*\* \|/);
  assert.match(markdown, /1 found/);
});

test('what was never tried fails too: a fault, an input, a surface end to end, a check, the scan', () => {
  const run = cleanRun().filter(
    (o) =>
      !(o.kind === 'fault' && o.name === 'gone-at-startup') &&
      !(o.kind === 'fault' && o.name === 'stall' && o.layer !== 'unit') &&
      !(o.kind === 'hostile' && o.name === 'name-rtl') &&
      !(o.kind === 'hostile' && o.surface === 'completion list' && o.layer === 'e2e') &&
      !(o.kind === 'secrets'),
  );
  const problems = buildReport(run).problems.join('\n');
  assert.match(problems, /fault "the server gone when VS Code starts" was never tried/);
  assert.match(problems, /fault "a stall with no bytes past the timeout" was not tried against the extension/);
  assert.match(problems, /hostile input "name-rtl" was never shown in VS Code/);
  assert.match(problems, /surface "completion list" was not covered at the e2e layer/);
  assert.match(problems, /no secret scan ran/);
  assert.match(problems, /check "plain-http-warning" never ran/);
});

test('outcomes are read from every .jsonl file of the folder', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'reliability-'));
  try {
    writeFileSync(path.join(dir, 'unit-a.jsonl'), `${JSON.stringify({ kind: 'fault', name: 'stall', layer: 'unit', ok: true })}\n`);
    writeFileSync(path.join(dir, 'e2e-b.jsonl'), `${JSON.stringify({ kind: 'fault', name: 'stall', layer: 'e2e', ok: false })}\n\n`);
    writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
    assert.deepEqual(
      readOutcomes(dir).map((o) => [o.layer, o.ok]),
      [
        ['e2e', false],
        ['unit', true],
      ],
    );
    assert.deepEqual(readOutcomes(path.join(dir, 'missing')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
