// The integration suite's results as the extension host writes them and the harnesses print
// them. Plain Node: bundled into the suite and imported by the harnesses.

/** Starts the suite's progress lines, so a harness can pick them out of VS Code's console. */
export const PROGRESS_MARKER = '[integration] ';

export interface TestOutcome {
  /** Suite titles and the test title, outermost first. */
  titlePath: string[];
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: { message: string; stack?: string };
}

export interface SuiteReport {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  tests: TestOutcome[];
  vscodeVersion: string;
}

export function formatReport(report: SuiteReport): string {
  const lines: string[] = [`VS Code ${report.vscodeVersion}`];
  for (const test of report.tests) {
    const mark = test.state === 'passed' ? '✓' : test.state === 'failed' ? '✗' : '-';
    const duration = test.durationMs === undefined ? '' : ` (${test.durationMs} ms)`;
    lines.push(`  ${mark} ${test.titlePath.join(' › ')}${duration}`);
    if (test.error) {
      const detail = test.error.stack && test.error.stack.includes(test.error.message) ? test.error.stack : `${test.error.message}\n${test.error.stack ?? ''}`;
      lines.push(...detail.trimEnd().split('\n').map((line) => `      ${line}`));
    }
  }
  lines.push(summaryLine(report));
  return lines.join('\n');
}

/** The last line of every run, for people and for scripts that grep it. */
export function summaryLine(report: Pick<SuiteReport, 'passed' | 'failed'>): string {
  return `integration: ${report.passed} passed, ${report.failed} failed`;
}
