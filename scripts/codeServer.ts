// Shared by the demo, the integration harness and the end-to-end tests: building and packaging the
// extension, installing and starting code-server (VS Code served to a browser), Debian's Chromium
// driven by playwright-core, and stopping every process started here. The recipe is the one in
// ../shared/vscode-harness.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '..');
export const CACHE_DIR = path.join(ROOT, '.cache');
/** The newest code-server that installs on Node 20 (VS Code 1.100.3). */
export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_DIR = path.join(CACHE_DIR, 'code-server');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const VSIX_PATH = path.join(ROOT, 'dist', 'zulip.vsix');
export const EXTENSION_ID = 'zulip-for-vscode.zulip';
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** Without the background-networking flags Chromium keeps trying the closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/**
 * Variables the extension offers to import credentials from: a test or demo never passes the
 * caller's own through to VS Code.
 */
const CREDENTIAL_VARIABLES = ['ZULIP_CONFIG', 'ZULIP_SITE', 'ZULIP_EMAIL', 'ZULIP_API_KEY'];

const INSTALLED_MARKER = path.join(CODE_SERVER_DIR, `.installed-${CODE_SERVER_VERSION}`);
// @vscode/ripgrep's postinstall takes this archive from its cache before trying GitHub.
const RIPGREP_CACHE = path.join(process.env.TMPDIR || '/tmp', 'vscode-ripgrep-cache-1.15.11');
const RIPGREP_ARCHIVE = path.join(RIPGREP_CACHE, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');

export type Logger = (line: string) => void;
const defaultLog: Logger = (line) => console.log(line);

// ---------------------------------------------------------------------------------------------
// Processes

/** A child process in its own process group, so stopping it also stops what it started. */
export class ManagedProcess {
  readonly exited: Promise<number | null>;
  private stopping?: Promise<void>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? null : 0))));
    installSignalHandlers();
    live.add(this);
    void this.exited.then(() => live.delete(this));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM to the whole group, SIGKILL after a grace period. */
  stop(graceMs = 5000): Promise<void> {
    this.stopping ??= (async () => {
      if (!this.running) return;
      signalGroup(this.child, 'SIGTERM');
      const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
      if ((await Promise.race([this.exited, timer])) === 'timeout') signalGroup(this.child, 'SIGKILL');
      await this.exited;
      // Children that outlived their leader still belong to the group.
      signalGroup(this.child, 'SIGKILL');
    })();
    return this.stopping;
  }
}

const live = new Set<ManagedProcess>();
const tempDirs = new Set<string>();

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

// Last resort when the harness exits without stopping its children (an uncaught error,
// process.exit): `exit` handlers must be synchronous, so this is a SIGKILL to each group.
process.once('exit', () => {
  for (const p of live) signalGroup(p.child, 'SIGKILL');
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

let signalHandlersInstalled = false;

/**
 * The children run in their own process groups, so Ctrl+C in a terminal does not reach them:
 * pass it on. A script with its own handler (the demo, the integration harness) then stops
 * gracefully; without one (a test file under node --test) the process exits as it would have.
 */
function installSignalHandlers(): void {
  if (signalHandlersInstalled) return;
  signalHandlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      for (const p of live) signalGroup(p.child, 'SIGTERM');
      if (process.listenerCount(signal) === 1) process.exit(128 + (os.constants.signals[signal] ?? 0));
    });
  }
}

/** Starts `command` in a new process group; output goes to `logFile` (and `onLine`). */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; logFile?: string; onLine?: (line: string) => void } = {},
): ManagedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = options.logFile ? fs.createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.on('data', (chunk: Buffer) => {
      log?.write(chunk);
      if (!options.onLine) return;
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onLine(line);
    });
  }
  child.once('exit', () => log?.end());
  return new ManagedProcess(name, child);
}

/** Stops every process started through this module that is still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
}

/** Runs a command to completion; throws with its output's tail when it fails. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const result = spawnSync(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) throw new Error(`${command} ${args.join(' ')} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${tail(output, 40)}`);
  return output;
}

export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A new folder under the system's temporary folder, removed when this process exits. */
export function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** The current environment minus Zulip credentials, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CREDENTIAL_VARIABLES) delete env[name];
  return { ...env, ...extra };
}

// ---------------------------------------------------------------------------------------------
// Building and packaging

/** Development build of the extension and the integration suite (esbuild.js). */
export function buildForTests(log: Logger = defaultLog): void {
  log('Building the extension and the integration suite…');
  run(process.execPath, ['esbuild.js']);
}

/**
 * The .vsix people install: `vsce package` runs the `vscode:prepublish` script (a production
 * build); esbuild inlines the dependencies, hence --no-dependencies.
 */
export function packageExtension(outFile = VSIX_PATH, log: Logger = defaultLog): string {
  log(`Packaging the extension into ${path.relative(ROOT, outFile)}…`);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  run(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '-o', outFile]);
  return outFile;
}

// ---------------------------------------------------------------------------------------------
// code-server

/** Installs code-server into .cache/code-server unless it is there already. Returns entry.js. */
export function ensureCodeServer(log: Logger = defaultLog): string {
  if (fs.existsSync(INSTALLED_MARKER) && fs.existsSync(CODE_SERVER_ENTRY)) return CODE_SERVER_ENTRY;
  const missing = [
    ['ripgrep', '/usr/bin/rg'],
    ['libkrb5-dev', '/usr/include/gssapi/gssapi.h'],
  ].filter(([, file]) => !fs.existsSync(file));
  if (missing.length) {
    const names = missing.map(([name]) => name).join(' ');
    throw new Error(`Installing code-server needs Debian packages that are missing: ${names}. Run: apt-get install -y ${names}`);
  }
  const started = Date.now();
  log(`Installing code-server ${CODE_SERVER_VERSION} into ${path.relative(ROOT, CODE_SERVER_DIR)}/ (once; about a minute)…`);

  // Debian's rg, packed the way @vscode/ripgrep's cache expects (the binary at the archive root).
  if (!fs.existsSync(RIPGREP_ARCHIVE)) {
    const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-stage-'));
    fs.copyFileSync('/usr/bin/rg', path.join(stage, 'rg'));
    fs.mkdirSync(RIPGREP_CACHE, { recursive: true });
    run('tar', ['-czf', `${RIPGREP_ARCHIVE}.partial`, '-C', stage, 'rg']);
    fs.renameSync(`${RIPGREP_ARCHIVE}.partial`, RIPGREP_ARCHIVE);
    fs.rmSync(stage, { recursive: true, force: true });
  }

  // Installed beside the final folder and renamed into place, so an interrupted install is never
  // mistaken for a finished one and two concurrent installs do not mix.
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const partial = fs.mkdtempSync(path.join(CACHE_DIR, 'code-server.partial-'));
  fs.writeFileSync(path.join(partial, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }, null, 2));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // code-server's postinstall refuses to run as root without it.
    npm_config_unsafe_perm: 'true',
    // node-pty's postinstall calls npx.
    npm_config_yes: 'true',
    // npm 11 skips dependency install scripts unless allowed, and code-server is little but
    // install scripts: its postinstall runs nested `npm install`s in lib/vscode that build native
    // modules (node-pty, kerberos, ...). A project-scoped install refuses --allow-scripts, and a
    // package.json allowScripts list would not reach those nested installs; the environment does.
    npm_config_dangerously_allow_all_scripts: 'true',
  };
  // node-gyp downloads Node's headers unless told where they are; offline, use the installed ones.
  const nodeDir = path.resolve(process.execPath, '..', '..');
  if (!env.npm_config_nodedir && fs.existsSync(path.join(nodeDir, 'include', 'node', 'node.h'))) env.npm_config_nodedir = nodeDir;
  try {
    run('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--no-package-lock', '--no-audit', '--no-fund'], { cwd: partial, env });
    if (!fs.existsSync(path.join(partial, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', 'node-pty'))) {
      throw new Error("code-server's postinstall did not install VS Code's own dependencies (lib/vscode/node_modules).");
    }
    fs.rmSync(CODE_SERVER_DIR, { recursive: true, force: true });
    fs.renameSync(partial, CODE_SERVER_DIR);
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    if (fs.existsSync(INSTALLED_MARKER)) return CODE_SERVER_ENTRY; // Another process won the race.
    throw error;
  }
  fs.writeFileSync(INSTALLED_MARKER, `${new Date().toISOString()}\n`);
  log(`code-server installed in ${Math.round((Date.now() - started) / 1000)} s.`);
  return CODE_SERVER_ENTRY;
}

/** `code-server --install-extension` into an extensions folder. */
export function installExtension(vsix: string, extensionsDir: string, userDataDir: string, log: Logger = defaultLog): void {
  log(`Installing ${path.relative(ROOT, vsix)} into ${extensionsDir}…`);
  const output = run(process.execPath, [ensureCodeServer(log), '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix], {
    env: cleanEnv(),
  });
  if (!/successfully installed/i.test(output)) throw new Error(`code-server did not confirm installing ${vsix}:\n${tail(output, 20)}`);
}

export interface CodeServerOptions {
  port: number;
  userDataDir: string;
  extensionsDir: string;
  /** Folder opened by default. */
  workspace: string;
  /** Extra environment for VS Code, and so for the extension host. */
  env?: Record<string, string>;
  logFile?: string;
  /** User settings written before start. */
  settings?: Record<string, unknown>;
  /**
   * Keep workspace trust on (VS Code's default), so an untrusted folder opens in Restricted Mode.
   * Off unless asked: the suites start with --disable-workspace-trust.
   */
  workspaceTrust?: boolean;
  /** VS Code's display language (`--locale`); it takes effect only with a language pack for it installed. */
  locale?: string;
}

export interface CodeServer {
  url: string;
  port: number;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** Default user settings: no welcome page or release notes in front of the workspace. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'update.showReleaseNotes': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'chat.commandCenter.enabled': false,
  'workbench.enableExperiments': false,
  // The demo workspace lives inside this repository: no offer to open the repository.
  'git.openRepositoryInParentFolders': 'never',
};

/** Starts code-server bound to 127.0.0.1 and waits until it answers. */
export async function startCodeServer(options: CodeServerOptions, log: Logger = defaultLog): Promise<CodeServer> {
  const entry = ensureCodeServer(log);
  const settingsFile = path.join(options.userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  // Kept: settings a person changed in an earlier run (when the file is plain JSON).
  let existing: Record<string, unknown> = {};
  try {
    existing = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  } catch {
    // No file yet, or JSON with comments: start over.
  }
  fs.writeFileSync(settingsFile, JSON.stringify({ ...existing, ...QUIET_SETTINGS, ...options.settings }, null, 2));
  fs.mkdirSync(options.extensionsDir, { recursive: true });
  const args = [
    entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${options.port}`,
    '--user-data-dir',
    options.userDataDir,
    '--extensions-dir',
    options.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    ...(options.locale ? ['--locale', options.locale] : []),
    options.workspace,
  ];
  const proc = startProcess('code-server', process.execPath, args, { env: cleanEnv(options.env), logFile: options.logFile });
  const url = `http://127.0.0.1:${options.port}/`;
  await waitForHttp(`${url}healthz`, proc, 60_000, options.logFile);
  return { url, port: options.port, process: proc, stop: () => proc.stop() };
}

async function waitForHttp(url: string, proc: ManagedProcess, timeoutMs: number, logFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const logTail = () => (logFile && fs.existsSync(logFile) ? `\n${tail(fs.readFileSync(logFile, 'utf8'), 30)}` : '');
  while (Date.now() < deadline) {
    if (!proc.running) throw new Error(`${proc.name} exited before it answered at ${url}.${logTail()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await proc.stop();
  throw new Error(`${proc.name} did not answer at ${url} within ${timeoutMs / 1000} s.${logTail()}`);
}

// ---------------------------------------------------------------------------------------------
// Browser

/** Debian's Chromium, headless, through playwright-core (never a downloaded browser). */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`No Chromium at ${CHROMIUM_PATH}. Run: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  const { chromium } = await import('playwright-core');
  // Signals are left to this module's handlers, so a harness can finish stopping what it
  // started; Playwright still kills the browser when the process exits.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
}

/** A fresh browser context: its own localStorage, so its own SecretStorage and state. */
export async function newWorkbenchPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  return { context, page };
}

/** The workbench URL for a folder on the machine code-server runs on. */
export function workbenchUrl(server: CodeServer, folder: string, payload?: [string, string][]): string {
  // Slashes left as they are: the URL is printed for people to read.
  const query = [`folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`];
  if (payload) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${server.url}?${query.join('&')}`;
}

/** A path on the code-server machine as the workbench addresses it. */
export function remoteUri(server: CodeServer, file: string): string {
  return `vscode-remote://127.0.0.1:${server.port}${file}`;
}
