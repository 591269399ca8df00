// npm run test:vscode: the integration suite in VS Code desktop through @vscode/test-electron,
// which downloads VS Code into .vscode-test/ (so it needs to reach update.code.visualstudio.com,
// and a display: xvfb-run on a headless Linux). Machines without that use npm run
// test:integration, which runs the same suite in code-server.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { makeTempDir, ROOT } from '../scripts/codeServer';
import { formatReport, summaryLine, type SuiteReport } from './harness/report';
import { suiteEnvironment } from './harness/suiteEnvironment';

// The oldest VS Code package.json's engines.vscode accepts, unless told otherwise.
const VERSION = process.env.VSCODE_TEST_VERSION ?? '1.100.3';
const TIMEOUT_MS = Number(process.env.ZULIP_TEST_TIMEOUT_SECONDS ?? 300) * 1000;

async function main(): Promise<number> {
  const outputDir = path.join(ROOT, 'test-results', 'vscode');
  fs.rmSync(outputDir, { recursive: true, force: true });
  fs.mkdirSync(outputDir, { recursive: true });
  const resultsFile = path.join(outputDir, 'results.json');
  const temp = makeTempDir('zulip-vscode-test-');
  const workspace = path.join(temp, 'workspace');
  fs.cpSync(path.join(ROOT, 'demo', 'workspace'), workspace, { recursive: true });

  const { startZulipServer } = await import('../server/app');
  const zulip = await startZulipServer({ port: 0, generatedMembers: 50 });
  let exitCode: number;
  // A hung VS Code fails the run: test-electron closes VS Code on the first SIGINT and kills its
  // process tree on the second.
  const watchdog = setTimeout(() => {
    console.error(`VS Code did not finish the suite within ${TIMEOUT_MS / 1000} s.`);
    process.emit('SIGINT');
    setTimeout(() => process.emit('SIGINT'), 10_000).unref();
  }, TIMEOUT_MS);
  watchdog.unref();
  try {
    try {
      exitCode = await runTests({
        version: VERSION,
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: path.join(ROOT, 'out', 'integration', 'index.js'),
        // --password-store=basic: SecretStorage without a desktop keyring, as on CI machines.
        launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--password-store=basic', '--user-data-dir', path.join(temp, 'user-data')],
        extensionTestsEnv: {
          ...(await suiteEnvironment(zulip, resultsFile)),
          // The extension offers to sign in with these: never inherit the caller's.
          ZULIP_CONFIG: undefined,
          ZULIP_SITE: undefined,
          ZULIP_EMAIL: undefined,
          ZULIP_API_KEY: undefined,
        },
      });
    } catch (error) {
      // runTests rejects when VS Code cannot be downloaded or exits non-zero.
      console.error(error instanceof Error ? error.message : error);
      exitCode = 1;
    }
    const report = fs.existsSync(resultsFile) ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as SuiteReport) : undefined;
    if (report) {
      console.log(formatReport(report).split('\n').slice(0, -1).join('\n'));
      const ok = exitCode === 0 && report.failed === 0 && report.passed > 0;
      console.log(summaryLine({ passed: report.passed, failed: ok ? 0 : Math.max(1, report.failed) }));
      return ok ? 0 : 1;
    }
    console.log(summaryLine({ passed: 0, failed: 1 }));
    return 1;
  } finally {
    clearTimeout(watchdog);
    await zulip.close();
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
