import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { readEnvironmentCredentials } from '../../src/model/environmentCredentials';

const KEY = 'abcdefghijklmnopqrstuvwxyz012345';
let dir: string;
let rc: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'zuliprc-'));
  rc = path.join(dir, 'zuliprc');
  await writeFile(rc, `[api]\nemail=iago@zulip.com\nkey=${KEY}\nsite=chat.example.com\n`);
});
after(() => rm(dir, { recursive: true, force: true }));

test('nothing set: nothing offered', async () => {
  assert.equal(await readEnvironmentCredentials({}), undefined);
  assert.equal(await readEnvironmentCredentials({ ZULIP_SITE: 'x', ZULIP_EMAIL: 'a@b.c' }), undefined, 'all three are needed');
});

test('ZULIP_SITE, ZULIP_EMAIL and ZULIP_API_KEY', async () => {
  const found = await readEnvironmentCredentials({ ZULIP_SITE: 'localhost:9991', ZULIP_EMAIL: 'a@b.c', ZULIP_API_KEY: KEY });
  assert.deepEqual(found, { site: 'http://localhost:9991', email: 'a@b.c', apiKey: KEY, source: 'ZULIP_SITE, ZULIP_EMAIL and ZULIP_API_KEY' });
});

test('ZULIP_CONFIG names a zuliprc; the variables override its values', async () => {
  const fromFile = await readEnvironmentCredentials({ ZULIP_CONFIG: rc });
  assert.deepEqual(fromFile, { site: 'https://chat.example.com', email: 'iago@zulip.com', apiKey: KEY, source: rc });
  const overridden = await readEnvironmentCredentials({ ZULIP_CONFIG: rc, ZULIP_EMAIL: 'other@zulip.com' });
  assert.equal(overridden?.email, 'other@zulip.com');
  assert.equal(overridden?.site, 'https://chat.example.com');
});

test('an unreadable ZULIP_CONFIG says which file', async () => {
  await assert.rejects(readEnvironmentCredentials({ ZULIP_CONFIG: path.join(dir, 'missing') }), /ZULIP_CONFIG names .*missing, which could not be read/);
});
