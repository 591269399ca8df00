import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPlausibleApiKey, parseZuliprc } from '../../src/zulip/zuliprc';

const KEY = 'abcdefghijklmnopqrstuvwxyz012345';

test('reads the [api] section Zulip downloads', () => {
  const rc = parseZuliprc(`[api]\nemail=iago@zulip.com\nkey=${KEY}\nsite=https://chat.example.com\n`);
  assert.deepEqual(rc, { site: 'https://chat.example.com', email: 'iago@zulip.com', apiKey: KEY, certBundle: undefined, insecure: undefined });
});

test('tolerates comments, odd whitespace, quotes, CRLF and a BOM, and normalizes the site', () => {
  const text = `\uFEFF# downloaded from Zulip\r\n; another comment\r\n[api]\r\n  email =  iago@zulip.com  \r\nkey\t=\t"${KEY}"\r\nsite = chat.example.com/\r\ncert_bundle = /etc/ssl/ours.pem\r\ninsecure = false\r\n\r\n[other]\r\nx=1\r\n`;
  const rc = parseZuliprc(text);
  assert.equal(rc.email, 'iago@zulip.com');
  assert.equal(rc.apiKey, KEY);
  assert.equal(rc.site, 'https://chat.example.com');
  assert.equal(rc.certBundle, '/etc/ssl/ours.pem');
  assert.equal(rc.insecure, false);
});

test('localhost sites get http://', () => {
  assert.equal(parseZuliprc(`[api]\nemail=a@b.c\nkey=${KEY}\nsite=localhost:9991`).site, 'http://localhost:9991');
});

test('missing keys are named, and the message never contains the key', () => {
  assert.throws(() => parseZuliprc(`[api]\nemail=a@b.c\n`, '/home/me/.zuliprc'), /\/home\/me\/\.zuliprc is missing "key", "site"/);
  assert.throws(() => parseZuliprc(`email=a@b.c\nkey=${KEY}\nsite=x.com`), /no \[api\] section/);
  assert.throws(() => parseZuliprc(`[api]\nemail=a@b.c\nkey=\nsite=x.com`), /missing "key"/);
  try {
    parseZuliprc(`[api]\nemail=a@b.c\nkey=short-secret-value\nsite=x.com`);
    assert.fail('expected an error');
  } catch (error) {
    assert.match((error as Error).message, /not a Zulip API key/);
    assert.doesNotMatch((error as Error).message, /short-secret-value/);
  }
});

test('an unusable site is reported', () => {
  assert.throws(() => parseZuliprc(`[api]\nemail=a@b.c\nkey=${KEY}\nsite=ftp://x.com`), /unusable site/);
});

test('API keys are 32 letters and digits', () => {
  assert.equal(isPlausibleApiKey(KEY), true);
  assert.equal(isPlausibleApiKey(KEY.slice(1)), false);
  assert.equal(isPlausibleApiKey(KEY.slice(1) + '-'), false);
});
