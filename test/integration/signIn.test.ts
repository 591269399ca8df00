// The sign-in and sign-out commands against the repository's Zulip server, with the dialogs
// answered by FakeWindow.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Account } from '../../src/model/accountStore';
import type { ZulipTestApi } from '../../src/extension';
import { activateExtension, FakeWindow, ownUser, removeAllAccounts, testServer, type TestServer } from './helpers';

/** 32 letters and digits: passes the input box's check, refused by the server. */
const WRONG_KEY = 'WrongKey000000000000000000000000';

suite('Sign-in', () => {
  let api: ZulipTestApi;
  let server: TestServer;
  let me: Awaited<ReturnType<typeof ownUser>>;
  let fake: FakeWindow;
  const tempDirs: string[] = [];

  suiteSetup(async () => {
    api = await activateExtension();
    server = testServer();
    me = await ownUser(server);
  });

  setup(async () => {
    await removeAllAccounts(api);
    fake = new FakeWindow();
  });

  teardown(async () => {
    fake.restore();
    await removeAllAccounts(api);
    for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The one account the store holds, checked against what the server says about the member. */
  async function assertSignedIn(result: unknown, apiKey = server.apiKey): Promise<Account> {
    const accounts = api.accounts.list();
    assert.equal(accounts.length, 1, `expected one account, have ${accounts.length}`);
    const [account] = accounts;
    assert.deepEqual(result, account, 'the command did not return the saved account');
    assert.equal(account.site, server.site);
    assert.equal(account.email.toLowerCase(), server.email.toLowerCase());
    assert.equal(account.userId, me.user_id);
    assert.equal(account.fullName, me.full_name);
    assert.equal(await api.accounts.getApiKey(account.id), apiKey);
    const success = fake.messagesOf('info').find((m) => m.startsWith('Signed in to'));
    assert.ok(success?.includes(me.full_name), `no success message naming ${me.full_name}: ${JSON.stringify(fake.messages)}`);
    assert.deepEqual(fake.messagesOf('error'), []);
    return account;
  }

  async function signInWithApiKey(): Promise<Account> {
    fake.answerInputs(server.site, server.email, server.apiKey);
    const result = await vscode.commands.executeCommand('zulip.signInWithApiKey');
    fake.assertAllAnswered();
    return assertSignedIn(result);
  }

  test('with an API key: site, email and key in input boxes', async () => {
    await signInWithApiKey();
    assert.equal(fake.inputBoxes.length, 3);
    assert.equal(fake.inputBoxes[2].password, true, 'the API key box must hide what is typed');
  });

  test('with a zuliprc file chosen in the open dialog', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zuliprc-'));
    tempDirs.push(dir);
    const file = path.join(dir, 'zuliprc');
    fs.writeFileSync(file, `[api]\nemail=${server.email}\nkey=${server.apiKey}\nsite=${server.site}\n`);
    fake.answerOpenDialog([vscode.Uri.file(file)]);
    const result = await vscode.commands.executeCommand('zulip.importZuliprc');
    await assertSignedIn(result);
    assert.equal(fake.inputBoxes.length, 0, 'a zuliprc sign-in asks nothing else');
  });

  test('with a JSON Web Token', async () => {
    fake.answerInputs(server.site, server.jwt);
    const result = await vscode.commands.executeCommand('zulip.signInWithJwt');
    fake.assertAllAnswered();
    // The token is exchanged for the member's key, which is what gets stored.
    await assertSignedIn(result, server.apiKey);
    assert.equal(fake.inputBoxes[1].password, true, 'the token box must hide what is typed');
  });

  test('a wrong key saves nothing and keeps the account already signed in', async () => {
    const existing = await signInWithApiKey();
    const before = api.accounts.list();
    fake.messages.length = 0;

    // The same member with a wrong key: the stored key must not be replaced.
    fake.answerInputs(server.site, server.email, WRONG_KEY);
    assert.equal(await vscode.commands.executeCommand('zulip.signInWithApiKey'), undefined);
    // Another member with a wrong key: no account may be added.
    fake.answerInputs(server.site, 'iago@zulip.com', WRONG_KEY);
    assert.equal(await vscode.commands.executeCommand('zulip.signInWithApiKey'), undefined);
    fake.assertAllAnswered();

    assert.deepEqual(api.accounts.list(), before);
    assert.equal(await api.accounts.getApiKey(existing.id), server.apiKey);
    const errors = fake.messagesOf('error');
    assert.equal(errors.length, 2, `expected two errors: ${JSON.stringify(fake.messages)}`);
    for (const error of errors) {
      assert.match(error, /^Sign-in failed: /);
      assert.ok(!error.includes(WRONG_KEY), 'an error message repeats the key');
    }
    assert.deepEqual(fake.messagesOf('info'), [], 'a failed sign-in reported success');
  });

  test('a JWT signed with the wrong key shows why, and saves nothing', async () => {
    const badToken = server.badJwt;
    fake.answerInputs(server.site, badToken);
    assert.equal(await vscode.commands.executeCommand('zulip.signInWithJwt'), undefined);
    fake.assertAllAnswered();
    assert.deepEqual(api.accounts.list(), []);
    const errors = fake.messagesOf('error');
    assert.equal(errors.length, 1, `expected one error: ${JSON.stringify(fake.messages)}`);
    assert.match(errors[0], /^Sign-in failed: /);
    assert.ok(errors[0].includes(`${server.site} rejected the token`), `not the bad-token message: ${errors[0]}`);
    assert.ok(!errors[0].includes(badToken), 'the error message repeats the token');
    const offered = fake.messages.find((m) => m.kind === 'error')?.items ?? [];
    assert.deepEqual(offered, ['Try Again', 'Show Log']);
  });

  test('sign-out removes the account and its key', async () => {
    const account = await signInWithApiKey();
    await vscode.commands.executeCommand('zulip.signOut', account.id);
    assert.deepEqual(api.accounts.list(), []);
    assert.equal(await api.accounts.getApiKey(account.id), undefined);
    assert.ok(
      fake.messagesOf('info').some((m) => m.startsWith('Signed out of') && m.includes(account.email)),
      `no sign-out message: ${JSON.stringify(fake.messages)}`,
    );
  });

  test('the account is offered to other extensions through vscode.authentication', async () => {
    const account = await signInWithApiKey();
    const accounts = await vscode.authentication.getAccounts('zulip');
    assert.deepEqual(
      accounts.map((a) => a.id),
      [account.id],
    );
    assert.ok(accounts[0].label.includes(account.email), `the account label does not name ${account.email}: ${accounts[0].label}`);
    // A silent request never prompts. VS Code hands a session only to extensions the person has
    // allowed (getSession with createIfNone asks them), so without that it answers undefined.
    const silent = await vscode.authentication.getSession('zulip', [], { silent: true });
    assert.ok(silent === undefined || silent.accessToken === server.apiKey, 'a silent session carried another key');

    await vscode.commands.executeCommand('zulip.signOut', account.id);
    assert.deepEqual(await vscode.authentication.getAccounts('zulip'), [], 'the account outlived sign-out');
  });
});
