// The integration suite's entry point, run inside VS Code's extension host by @vscode/test-electron
// (npm run test:vscode) or by code-server (npm run test:integration). It runs every *.test.js
// beside it with Mocha, prints a report, and writes the results to ZULIP_TEST_RESULTS (JSON, and
// the same report as text beside it): in code-server the extension host's output is not the
// harness's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type MochaType from 'mocha';
import * as vscode from 'vscode';
import { formatReport, PROGRESS_MARKER, type SuiteReport, type TestOutcome } from '../harness/report';

// Mocha 12 is an ES module package; require() of it yields the namespace, whose default is Mocha.
// A plain require keeps esbuild's interop helpers out of the way.
function loadMocha(): typeof MochaType {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate, as said above
  const loaded = require('mocha') as { default?: typeof MochaType } & typeof MochaType;
  return loaded.default ?? loaded;
}

export async function run(): Promise<void> {
  const Mocha = loadMocha();
  const started = Date.now();
  const outcomes: TestOutcome[] = [];

  /**
   * Prints each test as it ends, one console line each (VS Code forwards the extension host's
   * console to the page without applying printf formats, so Mocha's spec reporter would come out
   * garbled), and collects the outcomes for the results file.
   */
  class Reporter extends Mocha.reporters.Base {
    constructor(runner: MochaType.Runner, options: MochaType.MochaOptions) {
      super(runner, options);
      const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
      const print = (line: string) => console.log(`${PROGRESS_MARKER}${line}`);
      runner.on(EVENT_TEST_PASS, (test) => {
        outcomes.push({ titlePath: test.titlePath(), state: 'passed', durationMs: test.duration });
        print(`✓ ${test.titlePath().join(' › ')} (${test.duration} ms)`);
      });
      runner.on(EVENT_TEST_PENDING, (test) => {
        outcomes.push({ titlePath: test.titlePath(), state: 'pending' });
        print(`- ${test.titlePath().join(' › ')}`);
      });
      // Also called for a failing hook, whose "test" is the hook.
      runner.on(EVENT_TEST_FAIL, (test, error: Error) => {
        outcomes.push({ titlePath: test.titlePath(), state: 'failed', durationMs: test.duration, error: { message: String(error?.message ?? error), stack: error?.stack } });
        print(`✗ ${test.titlePath().join(' › ')}: ${String(error?.message ?? error).split('\n')[0]}`);
      });
    }
  }

  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, slow: 5_000, reporter: Reporter });
  const grep = process.env.ZULIP_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  if (files.length === 0) throw new Error(`No *.test.js files beside ${__filename}: build the suite with node esbuild.js.`);
  for (const name of files) mocha.addFile(path.join(__dirname, name));

  let failures: number;
  try {
    failures = await new Promise<number>((resolve) => mocha.run(resolve));
  } catch (error) {
    // A test file that throws while loading fails the run, with its error in the results.
    outcomes.push({ titlePath: ['loading the test files'], state: 'failed', error: { message: String((error as Error)?.message ?? error), stack: (error as Error)?.stack } });
    failures = 1;
  }

  const report: SuiteReport = {
    passed: outcomes.filter((t) => t.state === 'passed').length,
    failed: outcomes.filter((t) => t.state === 'failed').length,
    pending: outcomes.filter((t) => t.state === 'pending').length,
    durationMs: Date.now() - started,
    tests: outcomes,
    vscodeVersion: vscode.version,
  };
  const text = formatReport(report);
  console.log(text);
  const resultsFile = process.env.ZULIP_TEST_RESULTS;
  if (resultsFile) {
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    fs.writeFileSync(resultsFile, JSON.stringify(report, null, 2));
    fs.writeFileSync(resultsFile.replace(/\.json$/, '') + '.txt', `${text}\n`);
  }
  if (failures > 0 || report.failed > 0) throw new Error(`${Math.max(failures, report.failed)} integration test(s) failed.`);
  if (report.passed === 0) throw new Error('No integration test ran.');
}
