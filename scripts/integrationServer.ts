// For the "Integration Tests" launch in VS Code desktop (.vscode/launch.json): starts the Zulip
// server the suite talks to and writes the environment the suite reads (test/harness/
// suiteEnvironment.ts) to out/integration/suite.env, then runs until stopped. It prints the
// server's lines ("Zulip test server: …", "ZULIP_SERVER_READY …") that the task waits for.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startZulipServer } from '../server/app';
import { suiteEnvironment } from '../test/harness/suiteEnvironment';
import { ROOT } from './codeServer';

const PORT = 9992;
const MEMBERS = 50;

async function main(): Promise<void> {
  const zulip = await startZulipServer({ port: PORT, generatedMembers: MEMBERS });
  const outDir = path.join(ROOT, 'out', 'integration');
  fs.mkdirSync(outDir, { recursive: true });
  const env = await suiteEnvironment(zulip, path.join(ROOT, 'test-results', 'vscode', 'results.json'));
  // The file holds the test server's demo key: out/ is never committed.
  fs.writeFileSync(path.join(outDir, 'suite.env'), Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
  console.log(`Zulip test server: ${zulip.url}, ${zulip.org.size} members`);
  console.log(`ZULIP_SERVER_READY ${JSON.stringify({ url: zulip.url })}`);
  const stop = () => void zulip.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
