// npm run demo [-- --port 8080 --zulip-port 9991 --members 300]
//
// Packages the extension, starts the repository's Zulip server with a demo organization, installs
// the .vsix into code-server (installing code-server into .cache/ the first time) and serves VS Code
// at http://127.0.0.1:PORT/ with demo/workspace open. Ctrl+C stops everything it started.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  CACHE_DIR,
  ensureCodeServer,
  installExtension,
  packageExtension,
  ROOT,
  startCodeServer,
  startProcess,
  stopAll,
  tail,
  workbenchUrl,
  type ManagedProcess,
} from './codeServer';

interface ServerReady {
  url: string;
  email: string;
  apiKey: string;
  jwt: string;
}

const DEMO_DIR = path.join(CACHE_DIR, 'demo');
const WORKSPACE = path.join(ROOT, 'demo', 'workspace');

function options(): { port: number; zulipPort: number; members: number } {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '8080' },
      'zulip-port': { type: 'string', default: process.env.ZULIP_PORT ?? '9991' },
      members: { type: 'string', default: '300' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: npm run demo [-- --port 8080 --zulip-port 9991 --members 300]');
    process.exit(0);
  }
  const number = (name: string, text: string) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a number, got ${JSON.stringify(text)}`);
    return n;
  };
  return { port: number('port', values.port), zulipPort: number('zulip-port', values['zulip-port']), members: number('members', values.members) };
}

/** Fails early and clearly when a port is taken, instead of deep in a child's log. */
function assertPortFree(port: number, flag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', () => reject(new Error(`Port ${port} on 127.0.0.1 is in use: choose another with ${flag}.`)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/** A third of the generated members have a status, and a few generated groups join the seeded ones: people as a real organization shows them. */
const DEMO_STATUS_SHARE = '0.33';
const DEMO_GROUPS = '12';

/** The repository's Zulip server (server/main.ts), resolved once it prints its READY line. */
function startZulip(port: number, members: number, logFile: string): Promise<{ process: ManagedProcess; ready: ServerReady }> {
  return new Promise((resolve, reject) => {
    // `--import tsx` resolves from the working directory, the repository.
    const proc = startProcess('Zulip server', process.execPath, ['--import', 'tsx', path.join(ROOT, 'server', 'main.ts'), '--port', String(port), '--members', String(members), '--status-share', DEMO_STATUS_SHARE, '--groups', DEMO_GROUPS, '--demo-activity'], {
      logFile,
      onLine: (line) => {
        const match = /^ZULIP_SERVER_READY (\{.*\})\s*$/.exec(line);
        if (match) resolve({ process: proc, ready: JSON.parse(match[1]) as ServerReady });
      },
    });
    const timer = setTimeout(() => reject(new Error(`The Zulip server did not start within 60 s:\n${tail(fs.readFileSync(logFile, 'utf8'), 20)}`)), 60_000);
    timer.unref();
    void proc.exited.then((code) => reject(new Error(`The Zulip server exited (${code}) before it was ready:\n${tail(fs.readFileSync(logFile, 'utf8'), 20)}`)));
  });
}

async function main(): Promise<void> {
  const { port, zulipPort, members } = options();
  await assertPortFree(port, '--port');
  if (zulipPort !== 0) await assertPortFree(zulipPort, '--zulip-port');

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping code-server and the Zulip server…');
    await stopAll();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGHUP', () => void shutdown(0));

  fs.mkdirSync(DEMO_DIR, { recursive: true });
  const vsix = packageExtension(path.join(DEMO_DIR, 'zulip.vsix'));
  ensureCodeServer();

  console.log(`Starting the Zulip server with a demo organization (${members} generated members)…`);
  const zulipLog = path.join(DEMO_DIR, 'zulip-server.log');
  fs.writeFileSync(zulipLog, '');
  const zulip = await startZulip(zulipPort, members, zulipLog);
  const site = zulip.ready.url.replace(/\/+$/, '');

  // A fresh extensions folder each time, so the .vsix just packaged is the one running.
  const extensionsDir = path.join(DEMO_DIR, 'extensions');
  const userDataDir = path.join(DEMO_DIR, 'user-data');
  fs.rmSync(extensionsDir, { recursive: true, force: true });
  installExtension(vsix, extensionsDir, userDataDir);

  const zuliprc = path.join(DEMO_DIR, 'zuliprc');
  fs.writeFileSync(zuliprc, `[api]\nemail=${zulip.ready.email}\nkey=${zulip.ready.apiKey}\nsite=${site}\n`, { mode: 0o600 });

  console.log(`Starting code-server on 127.0.0.1:${port}…`);
  const codeServerLog = path.join(DEMO_DIR, 'code-server.log');
  fs.writeFileSync(codeServerLog, '');
  const codeServer = await startCodeServer({
    port,
    userDataDir,
    extensionsDir,
    workspace: WORKSPACE,
    logFile: codeServerLog,
    // The extension offers, once, to sign in with credentials found in the environment.
    env: { ZULIP_SITE: site, ZULIP_EMAIL: zulip.ready.email, ZULIP_API_KEY: zulip.ready.apiKey },
  });

  for (const proc of [zulip.process, codeServer.process]) {
    void proc.exited.then((code) => {
      if (stopping) return;
      console.error(`\n${proc.name} exited unexpectedly (${code}); see ${path.relative(ROOT, DEMO_DIR)}/.`);
      void shutdown(1);
    });
  }

  const rel = (file: string) => path.relative(process.cwd(), file) || '.';
  console.log(`
Zulip for VS Code is running.

  Open VS Code:   ${workbenchUrl(codeServer, WORKSPACE)}
  Zulip server:   ${site}  (the seeded members plus ${members} generated ones)

Sign in, any of these ways:
  • Accept the notification offering to sign in with the credentials in the environment.
  • F1 → "Zulip: Sign In with API Key", then
        organization URL  ${site}
        email             ${zulip.ready.email}
        API key           ${zulip.ready.apiKey}
  • F1 → "Zulip: Fetch API Key from JWT", organization URL ${site}, then this token:
        ${zulip.ready.jwt}
  • F1 → "Zulip: Import zuliprc…" and choose ${zuliprc}

Then open team-notes.md in the workspace: it is full of @-mentions.
Logs: ${rel(zulipLog)}, ${rel(codeServerLog)}. From another machine: ssh -L ${port}:127.0.0.1:${port} this-host.

Press Ctrl+C to stop.`);
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await stopAll();
  process.exit(1);
});
