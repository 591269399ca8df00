// Looks for credentials in what a test run left behind: every file under the given folders (log
// files, settings.json, the globalState database state.vscdb, the extension's storage folder) and
// text taken from the browser (localStorage and IndexedDB, where the workbench keeps its state and
// webview state, and what was on screen). Each secret is looked for as UTF-8, as UTF-16 (databases
// and browser storage may hold either) and inside a Basic authorization header. Plain Node.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { record } from '../reliability/outcomes';

export interface SecretFinding {
  /** The file, or the name of a text source. */
  where: string;
  /** Which secret (its position in the list given) and how it was written. */
  secret: number;
  encoding: 'utf8' | 'utf16le' | 'basic-auth';
}

export interface SecretScanResult {
  /** The files read, for the record of where the scan looked. */
  files: string[];
  filesScanned: number;
  bytesScanned: number;
  secretsSearched: number;
  findings: SecretFinding[];
}

export interface TextSource {
  where: string;
  text: string;
}

interface Needle {
  secret: number;
  encoding: SecretFinding['encoding'];
  bytes: Buffer;
}

/** Files larger than this are read in part (nothing the extension writes comes near it). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

function needles(secrets: readonly string[], emails: readonly string[]): Needle[] {
  const result: Needle[] = [];
  secrets.forEach((secret, index) => {
    result.push({ secret: index, encoding: 'utf8', bytes: Buffer.from(secret, 'utf8') });
    result.push({ secret: index, encoding: 'utf16le', bytes: Buffer.from(secret, 'utf16le') });
    for (const email of emails) {
      const header = Buffer.from(`${email}:${secret}`).toString('base64');
      result.push({ secret: index, encoding: 'basic-auth', bytes: Buffer.from(header, 'utf8') });
    }
  });
  return result;
}

function* filesUnder(target: string): Generator<string> {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch {
    return;
  }
  if (stat.isSymbolicLink()) return;
  if (stat.isFile()) {
    yield target;
    return;
  }
  if (!stat.isDirectory()) return;
  for (const name of fs.readdirSync(target).sort()) yield* filesUnder(path.join(target, name));
}

function readCapped(file: string): Buffer {
  const size = fs.statSync(file).size;
  if (size <= MAX_FILE_BYTES) return fs.readFileSync(file);
  const buffer = Buffer.alloc(MAX_FILE_BYTES);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, buffer, 0, MAX_FILE_BYTES, 0);
  } finally {
    fs.closeSync(fd);
  }
  return buffer;
}

/**
 * Scans files and folders (recursively; `exclude` names files to skip) and text sources for the
 * secrets. `emails` are the accounts' user names, for Basic authorization headers.
 */
export function scanForSecrets(options: {
  secrets: readonly string[];
  emails?: readonly string[];
  paths: readonly string[];
  exclude?: readonly string[];
  texts?: readonly TextSource[];
}): SecretScanResult {
  const secrets = options.secrets.filter((s) => s.length >= 8);
  const all = needles(secrets, options.emails ?? []);
  const excluded = new Set((options.exclude ?? []).map((p) => path.resolve(p)));
  const findings: SecretFinding[] = [];
  const files: string[] = [];
  let filesScanned = 0;
  let bytesScanned = 0;
  const search = (where: string, data: Buffer) => {
    bytesScanned += data.length;
    for (const needle of all) {
      if (data.includes(needle.bytes)) findings.push({ where, secret: needle.secret, encoding: needle.encoding });
    }
  };
  for (const target of options.paths) {
    for (const file of filesUnder(target)) {
      if (excluded.has(path.resolve(file))) continue;
      let data: Buffer;
      try {
        data = readCapped(file);
      } catch {
        continue; // Gone meanwhile (a lock file, a rotated log).
      }
      filesScanned++;
      files.push(file);
      search(file, data);
    }
  }
  for (const source of options.texts ?? []) search(source.where, Buffer.from(source.text, 'utf8'));
  return { files, filesScanned, bytesScanned, secretsSearched: secrets.length, findings };
}

/** What a finding says, without the secret itself. */
export function describeFinding(finding: SecretFinding, root?: string): string {
  const where = root && path.isAbsolute(finding.where) ? path.relative(root, finding.where) : finding.where;
  return `secret #${finding.secret} (${finding.encoding}) in ${where}`;
}

/**
 * The workbench page's browser storage as text: every localStorage entry and every IndexedDB
 * record (the workbench's state and webview state live there in code-server), and the text on
 * screen. Binary values are decoded as UTF-8.
 */
export async function browserTexts(page: Page): Promise<TextSource[]> {
  // Runs in the page (a string: this project compiles without the DOM library).
  const storage = await page.evaluate<string>(`(async () => {
    const out = [];
    const text = (value) => JSON.stringify(value, (_key, v) => {
      if (v instanceof ArrayBuffer) return new TextDecoder().decode(new Uint8Array(v));
      if (ArrayBuffer.isView(v)) return new TextDecoder().decode(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      return v;
    });
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      out.push('localStorage ' + key + '=' + localStorage.getItem(key));
    }
    const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await request(indexedDB.open(info.name));
      for (const name of Array.from(db.objectStoreNames)) {
        const store = db.transaction(name, 'readonly').objectStore(name);
        const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
        out.push('indexedDB ' + info.name + '/' + name + ': ' + text(keys) + ' ' + text(values));
      }
      db.close();
    }
    return out.join('\\n');
  })()`);
  const screen = await page.evaluate<string>('document.body.innerText');
  return [
    { where: 'browser storage (localStorage, IndexedDB)', text: storage },
    { where: 'the workbench on screen', text: screen },
  ];
}

export interface RunScanOptions {
  /** Every API key and JWT of the run (the server's ledger). */
  secrets: readonly string[];
  /** User names that may precede a key in a Basic header. */
  emails: readonly string[];
  /** code-server's user-data-dir: logs, settings, globalState, the extension's storage. */
  userDataDir: string;
  /** The harness's output folder (code-server's log, messages-shown.txt). */
  outputDir: string;
  /** The test runner's own report files, which may quote a failed assertion: not the extension's. */
  exclude: readonly string[];
  page: Page;
  /** The extension signed in during the run: its log and account record must then be among what was read. */
  signedIn: boolean;
}

export interface RunScanVerdict extends SecretScanResult {
  ok: boolean;
  /** What is wrong, for people: findings, or places the scan should have read and did not. */
  problems: string[];
}

/**
 * The scan after an integration run: prints what it found, lists the files it read in
 * secret-scan.txt, records the outcome for RELIABILITY.md, and says whether the run is clean.
 */
export async function scanIntegrationRun(options: RunScanOptions): Promise<boolean> {
  const scan = await scanRun(options);
  record('integration-secrets', {
    kind: 'secrets',
    name: 'integration run',
    layer: 'integration',
    ok: scan.ok,
    secretsSearched: scan.secretsSearched,
    filesScanned: scan.filesScanned,
    found: scan.findings.length,
    detail: scan.problems.join('; ') || undefined,
  });
  console.log(
    `Secret scan: ${scan.secretsSearched} keys and tokens looked for in ${scan.filesScanned} files (${(scan.bytesScanned / 1e6).toFixed(1)} MB) ` +
      `and the browser's storage: ${scan.findings.length} found.`,
  );
  for (const problem of scan.problems) console.error(`  ${problem}`);
  const base = path.dirname(options.userDataDir);
  const listed = scan.files.map((file) => path.relative(file.startsWith(base) ? base : path.dirname(options.outputDir), file));
  fs.writeFileSync(path.join(options.outputDir, 'secret-scan.txt'), `${scan.problems.join('\n') || 'No secret found.'}\nFiles read:\n${listed.join('\n')}\n`);
  return scan.ok;
}

/**
 * The scan itself. It fails on any secret found, and also when it did not read the places that
 * matter (the Zulip output channel's log file, the messages shown, the accounts record of
 * globalState): a scan that looked nowhere would pass by default.
 */
export async function scanRun(options: RunScanOptions): Promise<RunScanVerdict> {
  const texts = await browserTexts(options.page);
  const result = scanForSecrets({
    secrets: options.secrets,
    emails: options.emails,
    paths: [options.userDataDir, options.outputDir],
    exclude: options.exclude,
    texts,
  });
  const problems = result.findings.map((f) => describeFinding(f, options.userDataDir));
  const files = result.files;
  if (!files.some((file) => path.basename(file) === 'messages-shown.txt')) problems.push('messages-shown.txt (the notifications shown) was not written');
  if (options.signedIn) {
    if (!files.some((file) => /Zulip\.log$/.test(file))) problems.push('no log file of the Zulip output channel was found to scan');
    const accountsSeen =
      texts.some((t) => t.text.includes('zulip.accounts')) || files.some((file) => /state\.vscdb$/.test(file) && readCapped(file).includes('zulip.accounts'));
    if (!accountsSeen) problems.push("the extension's globalState (zulip.accounts) was found neither in state.vscdb nor in browser storage");
  }
  return { ...result, ok: problems.length === 0, problems };
}
