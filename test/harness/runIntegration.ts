// npm run test:integration: the integration suite inside real VS Code (code-server 4.100.3) driven
// by headless Chromium, against the repository's Zulip server started here. Prints the Mocha
// report and `integration: N passed, M failed`; exits non-zero when a test fails, when the suite
// cannot run, or when VS Code does not finish in time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import {
  buildForTests,
  ensureCodeServer,
  freePort,
  launchBrowser,
  makeTempDir,
  newWorkbenchPage,
  remoteUri,
  ROOT,
  startCodeServer,
  stopAll,
  workbenchUrl,
  type CodeServer,
} from '../../scripts/codeServer';
import { EXTENSION_HOST_FIGURES, EXTENSION_HOST_SUITE, extensionHostSummary, LARGE_MEMBERS, type ExtensionHostFigures } from './extensionHostFigures';
import { formatReport, PROGRESS_MARKER, summaryLine, type SuiteReport } from './report';
import { scanIntegrationRun } from './secretScan';
import { suiteEnvironment } from './suiteEnvironment';

const TIMEOUT_MS = Number(process.env.ZULIP_TEST_TIMEOUT_SECONDS ?? 600) * 1000;
const OUTPUT_DIR = path.join(ROOT, 'test-results', 'integration');
const SUITE_ENTRY = path.join(ROOT, 'out', 'integration', 'index.js');

interface Running {
  zulip?: { close(): Promise<void> | void };
  large?: { close(): Promise<void> | void };
  codeServer?: CodeServer;
  browser?: Browser;
  temp?: string;
}

async function main(): Promise<number> {
  const started = Date.now();
  const running: Running = {};
  const stop = async () => {
    await running.browser?.close().catch(() => undefined);
    await running.codeServer?.stop();
    await running.zulip?.close();
    await running.large?.close();
    await stopAll();
    if (running.temp) fs.rmSync(running.temp, { recursive: true, force: true });
  };
  // Every signal after the first (npm and tsx pass Ctrl+C on too) is ignored while stopping.
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      void stop().finally(() => process.exit(130));
    });
  }

  try {
    buildForTests();
    ensureCodeServer();
    fs.rmSync(OUTPUT_DIR, { recursive: true, force: true });
    fs.mkdirSync(OUTPUT_DIR, { recursive: true });
    const resultsFile = path.join(OUTPUT_DIR, 'results.json');

    const { startZulipServer } = await import('../../server/app');
    // Every request the extension makes is checked against zulip.yaml; mismatches are reported.
    const zulip = await startZulipServer({ port: 0, generatedMembers: 50, validateContract: true });
    running.zulip = zulip;
    console.log(`Zulip server at ${zulip.url}`);

    // A second organization of 100,000 members for the extension-host figures (issue: no long
    // tasks), started only when those tests are to run.
    const grep = process.env.ZULIP_TEST_GREP;
    const large = !grep || new RegExp(grep).test(EXTENSION_HOST_SUITE) ? await startZulipServer({ port: 0, generatedMembers: LARGE_MEMBERS, seed: 'extension-host' }) : undefined;
    running.large = large;
    if (large) console.log(`Zulip server of ${large.org.size} members at ${large.url}`);

    running.temp = makeTempDir('zulip-integration-');
    const workspace = path.join(running.temp, 'workspace');
    fs.cpSync(path.join(ROOT, 'demo', 'workspace'), workspace, { recursive: true });
    const codeServer = await startCodeServer({
      // ZULIP_TEST_WORKSPACE_TRUST=1: workspace trust on, as VS Code ships (the folder then untrusted).
      workspaceTrust: process.env.ZULIP_TEST_WORKSPACE_TRUST === '1',
      port: await freePort(),
      userDataDir: path.join(running.temp, 'user-data'),
      extensionsDir: path.join(running.temp, 'extensions'),
      workspace,
      logFile: path.join(OUTPUT_DIR, 'code-server.log'),
      // The extension host inherits code-server's environment: this is how the suite learns
      // where the server is and where to write its results.
      env: {
        ...(await suiteEnvironment(zulip, resultsFile)),
        ...(process.env.ZULIP_TEST_GREP ? { ZULIP_TEST_GREP: process.env.ZULIP_TEST_GREP } : {}),
        ...(large ? { ZULIP_TEST_LARGE_SERVER: large.url.replace(/\/+$/, ''), ZULIP_TEST_LARGE_EMAIL: large.demo.email, ZULIP_TEST_LARGE_API_KEY: large.demo.apiKey } : {}),
      },
    });
    running.codeServer = codeServer;
    console.log(`code-server at ${codeServer.url}`);

    running.browser = await launchBrowser();
    const { page } = await newWorkbenchPage(running.browser);
    // The workbench calls this when run() settles (as @vscode/test-web expects).
    let settle!: (code: number) => void;
    const exited = new Promise<number>((resolve) => (settle = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => settle(code));
    let progressLines = 0;
    // What the progress lines said, for a run that never writes its results (a hang).
    const progress = { passed: 0, failed: 0 };
    page.on('console', (message) => {
      // The extension host's console is forwarded to the page: echoing the suite's progress
      // lines shows the tests as they end, which tells a hang from a slow test.
      const text = message.text();
      const at = text.indexOf(PROGRESS_MARKER);
      if (at < 0) return;
      const line = text.slice(at + PROGRESS_MARKER.length);
      progressLines++;
      if (line.startsWith('✓')) progress.passed++;
      if (line.startsWith('✗')) progress.failed++;
      console.log(`  ${line}`);
    });

    const url = workbenchUrl(codeServer, workspace, [
      ['extensionDevelopmentPath', remoteUri(codeServer, ROOT)],
      ['extensionTestsPath', remoteUri(codeServer, SUITE_ENTRY)],
    ]);
    console.log('Running the integration suite in VS Code…');
    await page.goto(url);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS)));
    const outcome = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'workbench.png') }).catch(() => undefined);

    // Everything the run wrote, scanned for every key and JWT the server issued or was shown.
    const secretsOk =
      outcome !== 'timeout' &&
      (await scanIntegrationRun({
        secrets: [...zulip.secrets(), ...(large?.secrets() ?? [])],
        emails: [zulip.demo.email],
        userDataDir: path.join(running.temp, 'user-data'),
        outputDir: OUTPUT_DIR,
        exclude: [resultsFile, resultsFile.replace(/\.json$/, '.txt')],
        page,
        signedIn: zulip.requests.some((r) => r.authEmail !== undefined),
      }));

    const report = fs.existsSync(resultsFile) ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as SuiteReport) : undefined;
    console.log('');
    // The whole report when the progress lines did not come through; else the failures again,
    // with their errors, where they are easy to find.
    if (report) {
      const shown = progressLines > 0 ? { ...report, tests: report.tests.filter((t) => t.state === 'failed') } : report;
      if (shown.tests.length) console.log(formatReport(shown).split('\n').slice(0, -1).join('\n'));
    }
    const seconds = Math.round((Date.now() - started) / 1000);
    if (outcome === 'timeout') {
      console.error(`VS Code did not finish the suite within ${TIMEOUT_MS / 1000} s (see ${path.relative(ROOT, OUTPUT_DIR)}/).`);
      console.log(summaryLine({ passed: report?.passed ?? progress.passed, failed: Math.max(1, report?.failed ?? progress.failed) }));
      return 1;
    }
    if (!report) {
      console.error(`The suite ended (exit ${outcome}) without writing ${resultsFile}: it did not load or crashed (see ${path.relative(ROOT, OUTPUT_DIR)}/code-server.log).`);
      console.log(summaryLine({ passed: 0, failed: 1 }));
      return 1;
    }
    if (zulip.contractViolations.length) {
      console.log(`Warning: ${zulip.contractViolations.length} request(s) or response(s) did not match the Zulip API description:`);
      for (const violation of new Set(zulip.contractViolations)) console.log(`  ${violation}`);
    }
    const figures = path.join(OUTPUT_DIR, EXTENSION_HOST_FIGURES);
    if (fs.existsSync(figures)) console.log(extensionHostSummary(JSON.parse(fs.readFileSync(figures, 'utf8')) as ExtensionHostFigures));
    console.log(`(${seconds} s in all)`);
    // run() also rejects when no test ran: that is a failure even with no failed test.
    const ok = outcome === 0 && report.failed === 0 && report.passed > 0 && secretsOk;
    console.log(summaryLine({ passed: report.passed, failed: ok ? 0 : Math.max(1, report.failed) }));
    return ok ? 0 : 1;
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    console.log(summaryLine({ passed: 0, failed: 1 }));
    process.exit(1);
  },
);
