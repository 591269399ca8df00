// The avatar cache: files keyed by a hash of the URL, downloaded once (also across restarts),
// a few at a time, newest request first, nothing that is not an image, failures not retried at
// once, and no credentials sent.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { ZulipClient } from '../../src/zulip/client';
import { AvatarCache, avatarKey } from '../../src/model/avatarCache';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

let server: http.Server;
let base: string;
const hits: { url: string; authorization?: string; userAgent?: string }[] = [];
let inFlight = 0;
let maxInFlight = 0;
/** Requests held until released, to watch concurrency. */
let hold: Promise<void> = Promise.resolve();

/** Answers once `hold` is released: images, an HTML login page, a huge body, a redirect. */
async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  hits.push({ url: req.url!, authorization: req.headers.authorization, userAgent: req.headers['user-agent'] });
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  await hold;
  inFlight--;
  if (req.url!.startsWith('/png/')) {
    res.writeHead(200, { 'Content-Type': 'image/png' });
    res.end(PNG);
  } else if (req.url === '/html') {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<html>login</html>');
  } else if (req.url === '/huge') {
    res.writeHead(200, { 'Content-Type': 'image/png' });
    res.end(Buffer.alloc(2 * 1024 * 1024));
  } else if (req.url === '/elsewhere') {
    res.writeHead(302, { Location: 'http://127.0.0.2:1/png/elsewhere' });
    res.end();
  } else if (req.url === '/redirect') {
    res.writeHead(302, { Location: '/png/redirected' });
    res.end();
  } else {
    res.writeHead(404);
    res.end();
  }
}

before(async () => {
  server = http.createServer((req, res) => void answer(req, res));
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

/** Images come through the same client as API calls. */
const clientFor = (origin: string) => new ZulipClient({ site: origin, userAgent: 'ZulipForVSCode/test', timeoutMs: 5000 });

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'zulip-avatars-'));
}

function loaded(cache: AvatarCache, count: number): Promise<string[]> {
  const urls: string[] = [];
  return new Promise((resolve) => {
    cache.onDidLoad((url) => {
      urls.push(url);
      if (urls.length === count) resolve(urls);
    });
  });
}

test('keys are the SHA-256 of the URL: different URLs (a new avatar version) get different files', () => {
  assert.equal(avatarKey('https://a/x.png?version=1'), createHash('sha256').update('https://a/x.png?version=1').digest('hex').slice(0, 40));
  assert.notEqual(avatarKey('https://a/x.png?version=1'), avatarKey('https://a/x.png?version=2'));
  assert.match(avatarKey('x'), /^[0-9a-f]{40}$/);
});

test('a miss asks for the file once; it arrives on disk and is then served from there, even after a restart', async () => {
  const dir = await tempDir();
  try {
    const cache = new AvatarCache({ dir, clientFor });
    const url = `${base}/png/one`;
    const arrived = loaded(cache, 1);
    const start = hits.length;
    assert.equal(cache.get(url), undefined);
    assert.equal(cache.get(url), undefined, 'a second ask while pending starts nothing new');
    assert.deepEqual(await arrived, [url]);
    const file = cache.get(url)!;
    assert.equal(path.basename(file), `${avatarKey(url)}.png`);
    assert.deepEqual(await readFile(file), PNG);
    assert.equal(hits.length - start, 1, 'one download');
    cache.dispose();

    // Right after a restart the folder may not be scanned yet: then the file is announced once known.
    const restarted = new AvatarCache({ dir, clientFor });
    const known = loaded(restarted, 1);
    assert.equal(restarted.get(url) ?? ((await known), restarted.get(url)), file);
    assert.equal(hits.length - start, 1, 'no download after the restart');
    restarted.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('never more than maxConcurrent at once, newest request first, no credentials', async () => {
  const dir = await tempDir();
  try {
    let release!: () => void;
    hold = new Promise((r) => (release = r));
    maxInFlight = 0;
    const start = hits.length;
    const cache = new AvatarCache({ dir, clientFor, maxConcurrent: 3 });
    const urls = Array.from({ length: 10 }, (_, i) => `${base}/png/c${i}`);
    const all = loaded(cache, 10);
    for (const url of urls) cache.get(url);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(maxInFlight, 3);
    release();
    hold = Promise.resolve();
    await all;
    assert.equal(maxInFlight, 3);
    const order = hits.slice(start).map((h) => h.url);
    // The first three started at once; after them, the most recent requests went first.
    assert.deepEqual(order.slice(0, 3), ['/png/c0', '/png/c1', '/png/c2']);
    assert.deepEqual(order.slice(3), ['/png/c9', '/png/c8', '/png/c7', '/png/c6', '/png/c5', '/png/c4', '/png/c3']);
    assert.ok(hits.slice(start).every((h) => h.authorization === undefined));
    cache.dispose();
  } finally {
    hold = Promise.resolve();
    await rm(dir, { recursive: true, force: true });
  }
});

test('not an image, too large, missing or not http(s): nothing saved, and not asked again at once', async () => {
  const dir = await tempDir();
  try {
    const logs: string[] = [];
    const cache = new AvatarCache({ dir, clientFor, log: (m) => logs.push(m) });
    const start = hits.length;
    for (const bad of [`${base}/html`, `${base}/huge`, `${base}/missing`]) cache.get(bad);
    cache.get('file:///etc/passwd');
    cache.get('javascript:alert(1)');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(hits.length - start, 3);
    assert.deepEqual(await readdir(dir).catch(() => []), []);
    assert.equal(logs.length, 1, 'one line per host, not one per member');
    for (const bad of [`${base}/html`, `${base}/huge`, `${base}/missing`]) assert.equal(cache.get(bad), undefined);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(hits.length - start, 3, 'failures wait before being tried again');
    cache.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('redirects are followed (/avatar/ID answers with one); old files are deleted at startup', async () => {
  const dir = await tempDir();
  try {
    const cache = new AvatarCache({ dir, clientFor });
    const arrived = loaded(cache, 1);
    cache.get(`${base}/redirect`);
    await arrived;
    assert.ok(cache.cached(`${base}/redirect`));
    cache.dispose();

    const old = path.join(dir, `${avatarKey('https://old.example/a.png')}.png`);
    await writeFile(old, PNG);
    const longAgo = new Date(Date.now() - 90 * 24 * 3600_000);
    await utimes(old, longAgo, longAgo);
    const later = new AvatarCache({ dir, clientFor });
    const scanned = loaded(later, 1);
    later.get(`${base}/redirect`);
    await scanned;
    assert.equal(later.cached('https://old.example/a.png'), undefined);
    assert.ok(later.cached(`${base}/redirect`));
    assert.deepEqual((await readdir(dir)).length, 1);
    later.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a queue longer than the limit drops the oldest requests (they are asked again when shown again)', async () => {
  const dir = await tempDir();
  try {
    let release!: () => void;
    hold = new Promise((r) => (release = r));
    const start = hits.length;
    const cache = new AvatarCache({ dir, clientFor, maxConcurrent: 1, maxQueued: 2 });
    const arrived = loaded(cache, 3);
    for (let i = 0; i < 6; i++) cache.get(`${base}/png/q${i}`);
    await new Promise((r) => setTimeout(r, 100));
    release();
    hold = Promise.resolve();
    await arrived;
    assert.deepEqual(hits.slice(start).map((h) => h.url), ['/png/q0', '/png/q5', '/png/q4']);
    cache.dispose();
  } finally {
    hold = Promise.resolve();
    await rm(dir, { recursive: true, force: true });
  }
});

test('images go the way API calls go: the User-Agent, no credentials, no redirect to another site', async () => {
  const dir = await tempDir();
  try {
    const logs: string[] = [];
    const cache = new AvatarCache({ dir, clientFor, log: (m) => logs.push(m) });
    const start = hits.length;
    const arrived = loaded(cache, 1);
    cache.get(`${base}/png/agent`);
    await arrived;
    assert.equal(hits[start].userAgent, 'ZulipForVSCode/test');
    assert.equal(hits[start].authorization, undefined);
    cache.get(`${base}/elsewhere`);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(cache.cached(`${base}/elsewhere`), undefined);
    assert.match(logs.join('\n'), /redirected to http:\/\/127\.0\.0\.2:1\/png\/elsewhere, another site/);
    cache.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
