// Proxies: with http.proxy set, every request of a session reaches the Zulip server through a
// real HTTP proxy (the npm package `proxy`, on 127.0.0.1), and a proxy that is down or wants
// credentials gives one clear message naming it, losing nothing. VS Code routes the extension
// host's requests itself (its patch of Node's http and https modules, which node-fetch uses),
// but never for localhost and 127.0.0.1: so the organization is reached as 127.0.0.2, through a
// forwarder to the test server (all of 127.0.0.0/8 is this machine).
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ProxyServer } from 'proxy';
import * as vscode from 'vscode';
import { activateExtension, ownUser, readyOrganization, removeAllAccounts, testServer, waitFor } from './helpers';
import { trial } from '../reliability/outcomes';
import { control, requestLog } from './serverControl';

interface Seen {
  method: string;
  url: string;
}

function listen(server: net.Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
}

suite('Proxy', () => {
  const server = testServer();
  let proxy: ProxyServer;
  let forwarder: net.Server;
  let proxyUrl: string;
  let site: string;
  const seen: Seen[] = [];
  const sockets = new Set<net.Socket>();
  let me: Awaited<ReturnType<typeof ownUser>>;

  suiteSetup(async () => {
    const target = new URL(server.site);
    forwarder = net.createServer((socket) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      socket.pipe(upstream).pipe(socket);
      for (const s of [socket, upstream]) {
        sockets.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => sockets.delete(s));
      }
    });
    site = `http://127.0.0.2:${await listen(forwarder, '127.0.0.2')}`;
    // An ES module, loaded as one (the suite is CommonJS).
    const { createProxy } = await import('proxy');
    proxy = createProxy(http.createServer());
    proxy.on('request', (req: http.IncomingMessage) => seen.push({ method: req.method ?? '', url: req.url ?? '' }));
    proxy.on('connect', (req: http.IncomingMessage) => seen.push({ method: 'CONNECT', url: req.url ?? '' }));
    proxyUrl = `http://127.0.0.1:${await listen(proxy, '127.0.0.1')}`;
    // Asked here, by the test itself: not part of the session compared below.
    me = await ownUser(server);
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('http').update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('http').update('proxyAuthorization', undefined, vscode.ConfigurationTarget.Global);
    for (const s of sockets) s.destroy();
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
    await new Promise((resolve) => forwarder.close(resolve));
  });

  async function signInThroughProxy() {
    const api = await activateExtension();
    await removeAllAccounts(api);
    const account = await api.accounts.save({ site, email: server.email, userId: me.user_id, fullName: me.full_name, realmName: 'Zulip Dev', featureLevel: 372, zulipVersion: '10.2' }, server.apiKey);
    return { api, account, org: await readyOrganization(api, account.id) };
  }

  test('with http.proxy set, every request of a session goes through the proxy: its log and the server agree', async () => {
    await vscode.workspace.getConfiguration('http').update('proxy', proxyUrl, vscode.ConfigurationTarget.Global);
    await control(server, 'reset-requests', {});
    seen.length = 0;
    const { api, org } = await signInThroughProxy();
    try {
      await org.refresh();
      const served = (await requestLog(server)).map((r) => `${r.method} ${r.path}`);
      const proxied = seen.map((s) => `${s.method} ${new URL(s.url).pathname}`);
      assert.ok(served.length >= 5, `the session made requests: ${served.join(', ')}`);
      assert.ok(served.includes('GET /api/v1/users') && served.includes('POST /api/v1/register'), served.join(', '));
      for (const request of served) assert.ok(proxied.includes(request), `${request} reached the server without the proxy`);
      // A request the proxy has just passed on (an image) may reach the server a moment later.
      const arrived = await waitFor('every proxied request at the server', async () => {
        const log = (await requestLog(server)).map((r) => `${r.method} ${r.path}`);
        return proxied.every((request) => log.includes(request)) ? log : undefined;
      }, 5000).catch(() => served);
      for (const request of proxied) assert.ok(arrived.includes(request), `${request} went through the proxy but never arrived`);
      assert.ok(seen.every((s) => s.url.startsWith(`${site}/`)), 'the proxy was asked for the organization and nothing else');
    } finally {
      await removeAllAccounts(api);
    }
  });

  test('a proxy that is down: one clear message naming it, and the list and the key stay', () => trial('integration', { kind: 'fault', name: 'proxy-down', layer: 'integration' }, async () => {
    await vscode.workspace.getConfiguration('http').update('proxy', proxyUrl, vscode.ConfigurationTarget.Global);
    const { api, account, org } = await signInThroughProxy();
    try {
      const closed = net.createServer();
      const deadPort = await listen(closed, '127.0.0.1');
      await new Promise((resolve) => closed.close(resolve));
      await vscode.workspace.getConfiguration('http').update('proxy', `http://127.0.0.1:${deadPort}`, vscode.ConfigurationTarget.Global);
      // A new client is made with each open: sign-in again is how settings reach a running one.
      const fresh = api.organizations.get(account.id)!;
      await fresh.refresh().catch(() => undefined);
      const state = await waitFor('the organization marked offline', () => (fresh.state.kind === 'stale' ? fresh.state : undefined));
      assert.match(state.reason, new RegExp(`could not be reached through the proxy http://127\\.0\\.0\\.1:${deadPort}`));
      assert.equal(fresh.members.size, org.members.size, 'the last good list stays');
      assert.equal(await api.accounts.getApiKey(account.id), server.apiKey, 'the key stays');
    } finally {
      await vscode.workspace.getConfiguration('http').update('proxy', proxyUrl, vscode.ConfigurationTarget.Global);
      await removeAllAccounts(api);
    }
  }));

  test('a proxy that wants credentials: the message says so, and http.proxyAuthorization lets the requests through', () => trial('integration', { kind: 'fault', name: 'proxy-407', layer: 'integration' }, async () => {
    await vscode.workspace.getConfiguration('http').update('proxy', proxyUrl, vscode.ConfigurationTarget.Global);
    const credentials = `Basic ${Buffer.from('proxyuser:proxypass').toString('base64')}`;
    proxy.authenticate = (req) => req.headers['proxy-authorization'] === credentials;
    const api = await activateExtension();
    try {
      await removeAllAccounts(api);
      const account = await api.accounts.save({ site, email: server.email, userId: me.user_id, fullName: me.full_name, realmName: 'Zulip Dev', featureLevel: 372, zulipVersion: '10.2' }, server.apiKey);
      const state = await waitFor('the proxy refusal', () => {
        const s = api.organizations.get(account.id)?.state;
        return s && (s.kind === 'offline' || s.kind === 'stale') ? s : undefined;
      });
      assert.match(state.reason, /asks for credentials \(HTTP 407\)/);
      assert.match(state.reason, new RegExp(proxyUrl.replace(/[.:/]/g, '\\$&')));
      assert.equal(await api.accounts.getApiKey(account.id), server.apiKey, 'the key stays');
      await vscode.workspace.getConfiguration('http').update('proxyAuthorization', credentials, vscode.ConfigurationTarget.Global);
      await api.organizations.get(account.id)!.refresh().catch(() => undefined);
      await waitFor('the members through the authenticated proxy', () => api.organizations.get(account.id)?.state.kind === 'ready');
    } finally {
      proxy.authenticate = undefined;
      await removeAllAccounts(api);
    }
  }));
});
