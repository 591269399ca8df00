import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proxyFor } from '../../src/zulip/proxy';

test('a proxy from http.proxy, without its credentials', () => {
  assert.equal(proxyFor('https://chat.example.com', { proxy: 'http://user:pass@proxy.corp:3128' }), 'http://proxy.corp:3128');
  assert.equal(proxyFor('https://chat.example.com', { proxy: 'proxy.corp:3128' }), 'http://proxy.corp:3128');
});

test('none when unset, turned off, for hosts VS Code reaches directly, or in http.noProxy', () => {
  assert.equal(proxyFor('https://chat.example.com', {}), undefined);
  assert.equal(proxyFor('https://chat.example.com', { proxy: 'http://p:1', support: 'off' }), undefined);
  assert.equal(proxyFor('http://localhost:9991', { proxy: 'http://p:1' }), undefined);
  assert.equal(proxyFor('http://127.0.0.1:9991', { proxy: 'http://p:1' }), undefined);
  assert.equal(proxyFor('http://127.0.0.2:9991', { proxy: 'http://p:1' }), 'http://p:1');
  assert.equal(proxyFor('https://chat.example.com', { proxy: 'http://p:1', noProxy: ['example.com'] }), undefined);
  assert.equal(proxyFor('https://chat.example.com', { proxy: 'http://p:1', noProxy: ['.example.com'] }), undefined);
  assert.equal(proxyFor('https://chat.example.org', { proxy: 'http://p:1', noProxy: ['example.com'] }), 'http://p:1');
  assert.equal(proxyFor('https://chat.example.com', { proxy: '::not a url::' }), undefined);
});
