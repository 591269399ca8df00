// How a key travels: a plain-http site on another machine gets a modal warning that the key would
// travel in clear, and nothing is sent without confirmation (typed in or from a zuliprc); a TLS
// failure is reported, naming the host, never ignored; zulip.caBundlePath makes a self-signed
// server trusted, with certificates still checked.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ZulipTestApi } from '../../src/extension';
import { trial } from '../reliability/outcomes';
import { activateExtension, FakeWindow, readyOrganization, removeAllAccounts, testServer, type TestServer } from './helpers';
import { startTlsProxy, type TlsProxy } from './tlsProxy';

const FOREIGN_HTTP = 'http://zulip.example.invalid';
const PLAIN_HTTP_WARNING = /^http:\/\/zulip\.example\.invalid uses plain http: your API key would travel unencrypted and could be read on the network\.$/;

suite('Transport security', function () {
  this.timeout(30_000);
  let api: ZulipTestApi;
  let server: TestServer;
  let tls: TlsProxy;
  let fake: FakeWindow;
  const tempDirs: string[] = [];

  suiteSetup(async () => {
    api = await activateExtension();
    server = testServer();
    tls = await startTlsProxy(server.site);
  });

  suiteTeardown(async () => {
    await tls?.close();
  });

  setup(async () => {
    await removeAllAccounts(api);
    fake = new FakeWindow();
  });

  teardown(async () => {
    fake.restore();
    await removeAllAccounts(api);
    await vscode.workspace.getConfiguration('zulip').update('caBundlePath', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('zulip').update('caBundles', undefined, vscode.ConfigurationTarget.Global);
    for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  function checked(name: string, body: () => Promise<void>): Promise<void> {
    return trial('integration', { kind: 'secrets', name, layer: 'integration' }, body);
  }

  test('plain http to another machine: a modal warning, and without confirmation no key is asked for or sent', () =>
    checked('plain-http-warning', async () => {
      fake.answerInputs(FOREIGN_HTTP);
      assert.equal(await vscode.commands.executeCommand('zulip.signInWithApiKey'), undefined);
      fake.assertAllAnswered();
      assert.equal(fake.inputBoxes.length, 1, 'the email and key boxes never opened');
      assert.deepEqual(fake.messages.length, 1);
      const [warning] = fake.messages;
      assert.equal(warning.kind, 'warning');
      assert.equal(warning.modal, true, 'a modal dialog, not a toast to miss');
      assert.match(warning.message, PLAIN_HTTP_WARNING);
      assert.deepEqual(warning.items, ['Continue with http']);
      assert.deepEqual(api.accounts.list(), []);
    }));

  test('plain http, confirmed: the sign-in goes on (and here fails on the unknown host, saying so)', () =>
    checked('plain-http-warning', async () => {
      fake.answerMessages('warning', 'Continue with http').answerInputs(FOREIGN_HTTP, server.email, server.apiKey);
      assert.equal(await vscode.commands.executeCommand('zulip.signInWithApiKey'), undefined);
      fake.assertAllAnswered();
      assert.match(fake.messagesOf('warning')[0], PLAIN_HTTP_WARNING);
      const errors = fake.messagesOf('error');
      assert.equal(errors.length, 1);
      assert.match(errors[0], /^Sign-in failed: The name zulip\.example\.invalid could not be found \(DNS\)/);
      assert.ok(!errors[0].includes(server.apiKey));
    }));

  test('a zuliprc naming a plain-http site gets the same question before its key goes out', () =>
    checked('plain-http-warning', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zuliprc-http-'));
      tempDirs.push(dir);
      const file = path.join(dir, 'zuliprc');
      fs.writeFileSync(file, `[api]\nemail=${server.email}\nkey=${server.apiKey}\nsite=${FOREIGN_HTTP}\n`);
      fake.answerOpenDialog([vscode.Uri.file(file)]);
      assert.equal(await vscode.commands.executeCommand('zulip.importZuliprc'), undefined);
      assert.equal(fake.messages.length, 1);
      assert.match(fake.messages[0].message, PLAIN_HTTP_WARNING);
      assert.equal(fake.messages[0].modal, true);
      assert.deepEqual(fake.messagesOf('error'), [], 'not even tried');
      assert.deepEqual(api.accounts.list(), []);
    }));

  test('plain http on this machine (loopback) is not asked about', async () => {
    fake.answerInputs(server.site, server.email, server.apiKey);
    const account = await vscode.commands.executeCommand<{ id: string } | undefined>('zulip.signInWithApiKey');
    assert.ok(account);
    assert.deepEqual(fake.messagesOf('warning'), []);
  });

  test('a self-signed certificate: the sign-in fails with a TLS message naming the host, and saves nothing', () =>
    checked('tls-error-reported', async () => {
      const before = tls.requests;
      fake.answerInputs(tls.url, server.email, server.apiKey);
      assert.equal(await vscode.commands.executeCommand('zulip.signInWithApiKey'), undefined);
      fake.assertAllAnswered();
      const errors = fake.messagesOf('error');
      assert.equal(errors.length, 1, JSON.stringify(fake.messages));
      const host = new URL(tls.url).host;
      assert.match(errors[0], new RegExp(`^Sign-in failed: The secure connection to ${host} failed \\((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\\)\\. If the server uses its own certificate authority, set zulip\\.caBundlePath\\.$`));
      assert.deepEqual(api.accounts.list(), []);
      assert.equal(tls.requests, before, 'no request (so no key) got through the refused handshake');
    }));

  test('with zulip.caBundlePath naming the certificate, the same sign-in succeeds and the members load over https', () =>
    checked('tls-ca-bundle', async () => {
      await vscode.workspace.getConfiguration('zulip').update('caBundlePath', tls.certFile, vscode.ConfigurationTarget.Global);
      fake.answerInputs(tls.url, server.email, server.apiKey);
      const account = await vscode.commands.executeCommand<{ id: string; site: string } | undefined>('zulip.signInWithApiKey');
      fake.assertAllAnswered();
      assert.ok(account, JSON.stringify(fake.messages));
      assert.equal(account.site, tls.url);
      assert.deepEqual(fake.messagesOf('error'), []);
      const org = await readyOrganization(api, account.id);
      assert.ok(org.members.size > 20);
    }));

  function zuliprcWithCertBundle(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zuliprc-ca-'));
    tempDirs.push(dir);
    const file = path.join(dir, 'zuliprc');
    fs.writeFileSync(file, `[api]\nemail=${server.email}\nkey=${server.apiKey}\nsite=${tls.url}\ncert_bundle=${tls.certFile}\n`);
    return file;
  }

  test("a zuliprc's cert_bundle is trusted only when asked, and only for that organization's site", () =>
    checked('tls-ca-bundle', async () => {
      fake.answerOpenDialog([vscode.Uri.file(zuliprcWithCertBundle())]).answerMessages('warning', `Trust for ${new URL(tls.url).host}`);
      const account = await vscode.commands.executeCommand<{ id: string } | undefined>('zulip.importZuliprc');
      assert.ok(account, JSON.stringify(fake.messages));
      const [question] = fake.messagesOf('warning');
      assert.match(question, new RegExp(`names a certificate bundle, .*\\. Trust the certificate authorities in it for ${new URL(tls.url).origin.replace(/[.:/]/g, '\\$&')} only\\?`));
      const zulip = vscode.workspace.getConfiguration('zulip');
      assert.equal(zulip.get('caBundlePath'), '', 'no bundle for every site');
      assert.deepEqual(zulip.get('caBundles'), { [new URL(tls.url).origin]: tls.certFile });
      await readyOrganization(api, account.id);
    }));

  test("a zuliprc's cert_bundle that is not trusted is not written anywhere; the sign-in says why it fails", () =>
    checked('tls-error-reported', async () => {
      fake.answerOpenDialog([vscode.Uri.file(zuliprcWithCertBundle())]).answerMessages('warning', 'Cancel');
      assert.equal(await vscode.commands.executeCommand('zulip.importZuliprc'), undefined);
      const zulip = vscode.workspace.getConfiguration('zulip');
      assert.equal(zulip.get('caBundlePath'), '');
      assert.deepEqual(zulip.get('caBundles'), {});
      assert.match(fake.messagesOf('error')[0] ?? '', /The secure connection to .* failed/);
      assert.deepEqual(api.accounts.list(), []);
    }));

  test('a CA bundle that cannot be read is reported, not skipped', () =>
    checked('tls-error-reported', async () => {
      const missing = path.join(os.tmpdir(), 'no-such-bundle.pem');
      await vscode.workspace.getConfiguration('zulip').update('caBundlePath', missing, vscode.ConfigurationTarget.Global);
      fake.answerInputs(tls.url, server.email, server.apiKey);
      assert.equal(await vscode.commands.executeCommand('zulip.signInWithApiKey'), undefined);
      const errors = fake.messagesOf('error');
      assert.equal(errors.length, 1);
      assert.ok(errors[0].includes(`The CA bundle in zulip.caBundlePath (${missing}) could not be read`), errors[0]);
      assert.deepEqual(api.accounts.list(), []);
    }));
});
