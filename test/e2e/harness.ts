// End-to-end tests as a person: the packaged .vsix installed in code-server, driven through
// headless Chromium with the keyboard and the mouse. A test file starts one environment (Zulip
// server + code-server + browser) and opens a fresh workbench per test:
//
//   let env: Environment;
//   before(async () => { env = await startEnvironment(); });
//   after(() => env?.close());
//   test('…', () => env.capture('my-test', async (page) => { await runCommand(page, 'Zulip: …'); }));
//
// test/e2e/workbench.ts has the ways a person drives the workbench (runCommand and the rest).
//
// Screenshots go to test-results/e2e/: NAME.png when a test passes, NAME-failed.png at the moment
// it failed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ensureCodeServer,
  freePort,
  installExtension,
  launchBrowser,
  makeTempDir,
  newWorkbenchPage,
  packageExtension,
  ROOT,
  startCodeServer,
  stopAll,
  workbenchUrl,
  type CodeServer,
} from '../../scripts/codeServer';
import type { ZulipServer } from '../../server/app';
import { describeScreen, statusBarItem, UI_TIMEOUT_MS } from './workbench';

export const RESULTS_DIR = path.join(ROOT, 'test-results', 'e2e');

export interface DemoUser {
  email: string;
  apiKey: string;
  jwt: string;
  userId: number;
  fullName: string;
}

export interface Environment {
  /** The Zulip server's organization URL, as typed into the sign-in box. */
  site: string;
  /** The server itself, in this process: its org, faults and request log are there to use. */
  zulip: ZulipServer;
  user: DemoUser;
  codeServer: CodeServer;
  browser: Browser;
  /** A copy of demo/workspace, the folder the workbench opens. */
  workspace: string;
  /**
   * A workbench in a new browser context, so with its own localStorage, where code-server keeps
   * SecretStorage: no account from an earlier test. Resolves once the extension's status bar
   * item is shown.
   */
  openWorkbench(): Promise<Page>;
  /** Runs `body` on a fresh workbench and keeps a screenshot of how it ended. */
  capture(name: string, body: (page: Page) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export interface EnvironmentOptions {
  /** Generated members besides the seeded ones. */
  members?: number;
  /** Extra VS Code user settings. */
  settings?: Record<string, unknown>;
  /** Workspace trust on, the workspace not trusted: the workbench in Restricted Mode. */
  restricted?: boolean;
  /** VS Code's display language (needs a language pack, which `prepare` may install). */
  locale?: string;
  /** Runs once the extension is installed, before code-server starts (language packs, extra files). */
  prepare?: (dirs: { extensionsDir: string; userDataDir: string; temp: string }) => void;
  /** The status bar text that says the extension is ready, signed out ("Zulip: Sign In" in English). */
  readyStatus?: string | RegExp;
}

/**
 * Restricted Mode without the startup question: an untrusted folder opens restricted, and the
 * banner says so every time.
 */
const RESTRICTED_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'always',
  'security.workspace.trust.emptyWindow': false,
};

let packaged: string | undefined;

/**
 * The .vsix under test: the one `npm run test:e2e` packaged (ZULIP_E2E_VSIX), else packaged now,
 * once per process.
 */
export function extensionPackage(): string {
  const given = process.env.ZULIP_E2E_VSIX;
  if (given) {
    const file = path.resolve(ROOT, given);
    if (!fs.existsSync(file)) throw new Error(`ZULIP_E2E_VSIX names ${file}, which does not exist.`);
    return file;
  }
  packaged ??= packageExtension(path.join(makeTempDir('zulip-vsix-'), 'zulip.vsix'));
  return packaged;
}

export async function startEnvironment(options: EnvironmentOptions = {}): Promise<Environment> {
  const temp = makeTempDir('zulip-e2e-');
  const contexts = new Set<BrowserContext>();
  let zulip: ZulipServer | undefined;
  let codeServer: CodeServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await codeServer?.stop();
    await zulip?.close();
    await stopAll();
    fs.rmSync(temp, { recursive: true, force: true });
  };

  try {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    // Says so when it has to install code-server first (a minute, once).
    ensureCodeServer();
    const { startZulipServer } = await import('../../server/app');
    zulip = await startZulipServer({ port: 0, generatedMembers: options.members ?? 50 });
    const site = zulip.url.replace(/\/+$/, '');
    const user = await demoUser(site, zulip.demo);

    const userDataDir = path.join(temp, 'user-data');
    const extensionsDir = path.join(temp, 'extensions');
    installExtension(extensionPackage(), extensionsDir, userDataDir, () => undefined);
    options.prepare?.({ extensionsDir, userDataDir, temp });
    const workspace = path.join(temp, 'workspace');
    fs.cpSync(path.join(ROOT, 'demo', 'workspace'), workspace, { recursive: true });
    const logFile = path.join(RESULTS_DIR, `code-server-${path.basename(process.argv[1] ?? 'e2e', '.ts')}.log`);
    fs.rmSync(logFile, { force: true });
    const settings = { ...(options.restricted ? RESTRICTED_SETTINGS : {}), ...options.settings };
    codeServer = await startCodeServer(
      { port: await freePort(), userDataDir, extensionsDir, workspace, logFile, settings, workspaceTrust: options.restricted, locale: options.locale },
      () => undefined,
    );
    browser = await launchBrowser();

    const server = codeServer;
    const chromium = browser;
    const openWorkbench = async () => {
      const { context, page } = await newWorkbenchPage(chromium);
      contexts.add(context);
      page.setDefaultTimeout(UI_TIMEOUT_MS);
      await page.goto(workbenchUrl(server, workspace));
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // The extension activates on startup finished; its status bar item says it is ready.
      await statusBarItem(page, options.readyStatus ?? 'Zulip: Sign In').waitFor({ timeout: 60_000 });
      return page;
    };
    const env: Environment = {
      site,
      zulip,
      user,
      codeServer,
      browser,
      workspace,
      openWorkbench,
      capture: async (name, body) => {
        const page = await openWorkbench();
        try {
          await body(page);
          await screenshot(page, name);
        } catch (error) {
          await screenshot(page, `${name}-failed`).catch(() => undefined);
          const seen = await describeScreen(page).catch(() => '');
          // What the person would have seen: usually the reason (an error dialog, a toast).
          if (seen) throw new Error(`${error instanceof Error ? error.message : String(error)}\nOn screen when it failed:\n${seen}`, { cause: error });
          throw error;
        } finally {
          contexts.delete(page.context());
          await page.context().close().catch(() => undefined);
        }
      },
      close,
    };
    return env;
  } catch (error) {
    await close();
    throw error;
  }
}

/** The demo member's name and id, asked of the server directly. */
async function demoUser(site: string, demo: { email: string; apiKey: string; jwt: string }): Promise<DemoUser> {
  const response = await fetch(`${site}/api/v1/users/me`, {
    headers: { Authorization: `Basic ${Buffer.from(`${demo.email}:${demo.apiKey}`).toString('base64')}` },
  });
  if (!response.ok) throw new Error(`The demo credentials do not work: GET /users/me answered ${response.status}`);
  const me = (await response.json()) as { user_id: number; full_name: string };
  return { ...demo, userId: me.user_id, fullName: me.full_name };
}

/** Saves test-results/e2e/NAME.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  // Finished animations: a toast caught sliding in is hard to read.
  await page.screenshot({ path: file, animations: 'disabled' });
  return file;
}
