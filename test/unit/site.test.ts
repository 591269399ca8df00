import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoopback, isPlainHttp, normalizeSite, validateSite } from '../../src/zulip/site';

test('a bare host gets https://', () => {
  assert.equal(normalizeSite('chat.example.com'), 'https://chat.example.com');
  assert.equal(normalizeSite('  Chat.Example.COM/  '), 'https://chat.example.com');
});

test('localhost without a scheme gets http://', () => {
  assert.equal(normalizeSite('localhost:9991'), 'http://localhost:9991');
  assert.equal(normalizeSite('127.0.0.1:9991/'), 'http://127.0.0.1:9991');
});

test('an explicit scheme is kept and trailing slashes and /api/v1 are dropped', () => {
  assert.equal(normalizeSite('http://zulip.internal/'), 'http://zulip.internal');
  assert.equal(normalizeSite('https://chat.example.com/api/v1/'), 'https://chat.example.com');
  assert.equal(normalizeSite('https://example.com/zulip//'), 'https://example.com/zulip');
  assert.equal(normalizeSite('https://chat.example.com:8443'), 'https://chat.example.com:8443');
});

test('unusable sites say what is wrong', () => {
  assert.throws(() => normalizeSite(''), /Enter the organization URL/);
  assert.throws(() => normalizeSite('ftp://chat.example.com'), /must start with https/);
  assert.throws(() => normalizeSite('https://me:pw@chat.example.com'), /user name or password/);
  assert.throws(() => normalizeSite('https://chat.example.com/?x=1'), /must not contain \? or #/);
  assert.throws(() => normalizeSite('https://exa mple.com'), /not a valid URL/);
  assert.equal(validateSite('chat.example.com'), undefined);
  assert.match(validateSite('ftp://x')!, /https/);
});

test('plain http and loopback are told apart', () => {
  assert.equal(isPlainHttp('http://zulip.internal'), true);
  assert.equal(isPlainHttp('https://zulip.internal'), false);
  assert.equal(isLoopback('http://localhost:9991'), true);
  assert.equal(isLoopback('http://127.0.0.1:9991'), true);
  assert.equal(isLoopback('http://zulip.internal'), false);
});

test('all of 127.0.0.0/8 is loopback; addresses that only look like it are not', () => {
  assert.equal(isLoopback('http://127.0.0.2:9991'), true);
  assert.equal(isLoopback('http://127.255.0.1'), true);
  assert.equal(isLoopback('http://127.0.0.1.example.com'), false);
  assert.equal(isLoopback('http://128.0.0.1'), false);
});
