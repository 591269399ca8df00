// The integration harness's secret scan must be able to fail: planted secrets are found in every
// form the scan claims to read (text, UTF-16, inside binary database pages, in a Basic header, in
// nested folders and browser text), and a folder without them passes.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { describeFinding, scanForSecrets, scanRun } from '../harness/secretScan';

const KEY = 'PlantedKey0123456789abcdefABCDEF';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJlbWFpbCI6ImhhbWxldEB6dWxpcC5jb20ifQ.c2lnbmF0dXJlLXBsYW50ZWQ';
const dirs: string[] = [];

function folder(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'secret-scan-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('a clean run passes, and says how much it read', () => {
  const dir = folder({ 'logs/exthost/1-Zulip.log': 'Signed in to http://127.0.0.1 as hamlet@zulip.com\n', 'User/settings.json': '{}' });
  const result = scanForSecrets({ secrets: [KEY, JWT], emails: ['hamlet@zulip.com'], paths: [dir] });
  assert.deepEqual(result.findings, []);
  assert.equal(result.filesScanned, 2);
  assert.ok(result.bytesScanned > 10);
  assert.equal(result.secretsSearched, 2);
});

test('planted secrets are found in text, UTF-16, binary pages, Basic headers and browser text', () => {
  const sqlitePage = Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(100, 7), Buffer.from(`zulip.accounts{"key":"${KEY}"}`), Buffer.alloc(50)]);
  const dir = folder({
    'logs/20240101/exthost1/output_logging_1/1-Zulip.log': `error: sign-in failed with ${KEY}`,
    'User/globalStorage/state.vscdb': sqlitePage,
    'User/globalStorage/zulip-for-vscode.zulip/members.json': Buffer.from(`{"token":"${JWT}"}`, 'utf16le'),
    'deep/er/request.txt': `Authorization: Basic ${Buffer.from(`hamlet@zulip.com:${KEY}`).toString('base64')}`,
  });
  const result = scanForSecrets({
    secrets: [KEY, JWT],
    emails: ['hamlet@zulip.com'],
    paths: [dir],
    texts: [{ where: 'browser storage', text: `localStorage webview-state={"jwt":"${JWT}"}` }],
  });
  const found = result.findings.map((f) => describeFinding(f, dir)).sort();
  assert.deepEqual(found, [
    'secret #0 (basic-auth) in deep/er/request.txt',
    'secret #0 (utf8) in User/globalStorage/state.vscdb',
    'secret #0 (utf8) in logs/20240101/exthost1/output_logging_1/1-Zulip.log',
    'secret #1 (utf16le) in User/globalStorage/zulip-for-vscode.zulip/members.json',
    'secret #1 (utf8) in browser storage',
  ]);
  for (const line of found) assert.ok(!line.includes(KEY) && !line.includes(JWT), 'a finding never repeats the secret');
});

test('excluded files are skipped; short strings are not searched (they would match by chance)', () => {
  const dir = folder({ 'results.json': `"expected": "${KEY}"`, 'log.txt': 'abc' });
  const result = scanForSecrets({ secrets: [KEY, 'abc'], paths: [dir], exclude: [path.join(dir, 'results.json')] });
  assert.deepEqual(result.findings, []);
  assert.equal(result.filesScanned, 1);
  assert.equal(result.secretsSearched, 1);
});

test("after a run: a clean user-data-dir passes; a leak, or a place it could not read, fails", async () => {
  const page = (storage: string) => ({ evaluate: (script: string) => Promise.resolve(script.includes('innerText') ? 'Zulip Dev' : storage) }) as unknown as import('playwright-core').Page;
  const run = (files: Record<string, string>, storage = 'localStorage x=1\nindexedDB vscode-web-state-db-global/ItemTable: ["zulip.accounts"]') => {
    const userDataDir = folder(files);
    const outputDir = folder({ 'messages-shown.txt': 'info: Signed in to Zulip Dev\n' });
    return scanRun({ secrets: [KEY], emails: ['hamlet@zulip.com'], userDataDir, outputDir, exclude: [], page: page(storage), signedIn: true });
  };
  const clean = await run({ 'logs/1/exthost1/zulip-for-vscode.zulip/Zulip.log': 'Signed in\n' });
  assert.deepEqual(clean.problems, []);
  assert.equal(clean.ok, true);

  const leaked = await run({ 'logs/1/exthost1/zulip-for-vscode.zulip/Zulip.log': `key ${KEY}\n` });
  assert.equal(leaked.ok, false);
  assert.deepEqual(leaked.problems, ['secret #0 (utf8) in logs/1/exthost1/zulip-for-vscode.zulip/Zulip.log']);

  const inBrowser = await run({ 'logs/Zulip.log': '' }, `localStorage webview={"key":"${KEY}"} zulip.accounts`);
  assert.deepEqual(inBrowser.problems, ['secret #0 (utf8) in browser storage (localStorage, IndexedDB)']);

  const blind = await run({ 'logs/other.log': '' }, 'localStorage nothing');
  assert.equal(blind.ok, false);
  assert.match(blind.problems.join('\n'), /no log file of the Zulip output channel/);
  assert.match(blind.problems.join('\n'), /zulip\.accounts\) was found neither/);
});
