// What the integration tests share: the Zulip server the harness started, the extension's test
// API, and a stand-in for the dialogs a person would answer.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ZulipTestApi } from '../../src/extension';
import type { Account } from '../../src/model/accountStore';
import type { Organization } from '../../src/model/organization';
import { noteShown } from './shownMessages';

export const EXTENSION_ID = 'zulip-for-vscode.zulip';

/** The repository's Zulip server, started by the harness outside VS Code. */
export interface TestServer {
  site: string;
  email: string;
  apiKey: string;
  jwt: string;
  /** A token for the same member signed with another key. */
  badJwt: string;
}

/**
 * Read from ZULIP_TEST_* variables. (Not ZULIP_SITE and friends: the extension offers to sign in
 * with those, which would put a notification in front of every test.)
 */
export function testServer(): TestServer {
  const { ZULIP_TEST_SERVER: site, ZULIP_TEST_EMAIL: email, ZULIP_TEST_API_KEY: apiKey, ZULIP_TEST_JWT: jwt, ZULIP_TEST_BAD_JWT: badJwt } = process.env;
  if (!site || !email || !apiKey || !jwt || !badJwt) {
    throw new Error('ZULIP_TEST_SERVER, ZULIP_TEST_EMAIL, ZULIP_TEST_API_KEY, ZULIP_TEST_JWT and ZULIP_TEST_BAD_JWT must be set: run the suite with npm run test:integration.');
  }
  return { site, email, apiKey, jwt, badJwt };
}

export async function activateExtension(): Promise<ZulipTestApi> {
  const extension = vscode.extensions.getExtension<ZulipTestApi | undefined>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this VS Code`);
  const api = await extension.activate();
  assert.ok(api?.accounts, 'activate() returned no test API: is the extension running in test mode?');
  return api;
}

/** Signs out of everything, so each test starts with no account. */
export async function removeAllAccounts(api: ZulipTestApi): Promise<void> {
  for (const account of api.accounts.list()) await api.accounts.remove(account.id);
  assert.deepEqual(api.accounts.list(), []);
}

const RATE_LIMIT_ATTEMPTS = 4;

/** The member the server says the credentials belong to, asked directly (not through the extension). */
export async function ownUser(server: TestServer): Promise<{ user_id: number; full_name: string; email: string; delivery_email?: string }> {
  let response: Response;
  // The suite makes many requests as one member: past Zulip's 200 a minute, wait as asked (Retry-After).
  for (let attempt = 1; ; attempt++) {
    response = await fetch(`${server.site}/api/v1/users/me`, {
      headers: { Authorization: `Basic ${Buffer.from(`${server.email}:${server.apiKey}`).toString('base64')}` },
    });
    if (response.status !== 429 || attempt === RATE_LIMIT_ATTEMPTS) break;
    const seconds = Number(response.headers.get('retry-after') ?? 1);
    await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(seconds, 0.1), 60) * 1000));
  }
  assert.equal(response.status, 200, `GET /users/me with the test credentials answered ${response.status}`);
  return (await response.json()) as { user_id: number; full_name: string; email: string; delivery_email?: string };
}

/** Polls `probe` every 50 ms until it gives a value; fails naming `what` after the timeout. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Saves the test member's account as a verified sign-in would, and waits for its members. */
export async function signInDirectly(api: ZulipTestApi, server: TestServer): Promise<{ account: Account; org: Organization }> {
  const me = await ownUser(server);
  const account = await api.accounts.save(
    { site: server.site, email: server.email, userId: me.user_id, fullName: me.full_name, realmName: 'Zulip Dev', featureLevel: 372, zulipVersion: '10.2' },
    server.apiKey,
  );
  const org = await readyOrganization(api, account.id);
  return { account, org };
}

/** The account's organization once it has loaded its members (a new one after a new sign-in). */
export function readyOrganization(api: ZulipTestApi, accountId: string, not?: Organization): Promise<Organization> {
  return waitFor('the organization to load its members', () => {
    const org = api.organizations.get(accountId);
    return org && org !== not && org.state.kind === 'ready' && org.members.size > 20 ? org : undefined;
  });
}

export type MessageKind = 'info' | 'warning' | 'error';

export interface ShownMessage {
  kind: MessageKind;
  message: string;
  items: string[];
  modal: boolean;
}

type WindowFunction = 'showInputBox' | 'showQuickPick' | 'showOpenDialog' | 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage';

/**
 * Replaces the dialogs on vscode.window (the extension looks them up at each call) with scripted
 * answers, and records what was asked and shown. An input box or pick nobody scripted fails the
 * test instead of waiting for a person; an answer the real box would refuse (validateInput) too.
 * Call restore() after each test.
 */
export class FakeWindow {
  readonly inputBoxes: vscode.InputBoxOptions[] = [];
  readonly quickPicks: string[][] = [];
  readonly messages: ShownMessage[] = [];
  private readonly inputAnswers: Array<string | undefined> = [];
  private readonly pickAnswers: Array<(label: string) => boolean> = [];
  private openDialogAnswer?: vscode.Uri[];
  private readonly messageAnswers = new Map<MessageKind, string>();
  private readonly originals = new Map<WindowFunction, unknown>();

  constructor() {
    const window = vscode.window as unknown as Record<WindowFunction, unknown>;
    const replace = (name: WindowFunction, fake: unknown) => {
      this.originals.set(name, window[name]);
      window[name] = fake;
      assert.equal(window[name], fake, `vscode.window.${name} could not be replaced`);
    };
    replace('showInputBox', async (options?: vscode.InputBoxOptions) => {
      this.inputBoxes.push(options ?? {});
      if (this.inputAnswers.length === 0) throw new Error(`Unexpected input box: ${options?.title ?? options?.prompt}`);
      const answer = this.inputAnswers.shift();
      if (answer !== undefined && options?.validateInput) {
        const problem = await options.validateInput(answer);
        if (problem) throw new Error(`The input box "${options.title}" refuses ${JSON.stringify(answer)}: ${typeof problem === 'string' ? problem : problem.message}`);
      }
      return answer;
    });
    replace('showQuickPick', async (items: readonly (string | vscode.QuickPickItem)[] | Thenable<readonly (string | vscode.QuickPickItem)[]>) => {
      const resolved = await items;
      const labels = resolved.map((item) => (typeof item === 'string' ? item : item.label));
      this.quickPicks.push(labels);
      const choose = this.pickAnswers.shift();
      if (!choose) throw new Error(`Unexpected quick pick: ${labels.join(' | ')}`);
      return resolved.find((item) => choose(typeof item === 'string' ? item : item.label));
    });
    replace('showOpenDialog', () => (this.openDialogAnswer ? Promise.resolve(this.openDialogAnswer) : Promise.reject(new Error('Unexpected open dialog'))));
    const message = (kind: MessageKind) => (text: string, ...rest: unknown[]) => {
      const options = rest[0] !== undefined && typeof rest[0] === 'object' && rest[0] !== null && !('title' in rest[0]) ? (rest.shift() as vscode.MessageOptions) : undefined;
      const items = rest.map((item) => (typeof item === 'string' ? item : (item as vscode.MessageItem).title));
      this.messages.push({ kind, message: text, items, modal: options?.modal === true });
      noteShown(kind, text, items);
      const answer = this.messageAnswers.get(kind);
      return Promise.resolve(answer === undefined ? undefined : rest.find((item) => (typeof item === 'string' ? item : (item as vscode.MessageItem).title) === answer));
    };
    replace('showInformationMessage', message('info'));
    replace('showWarningMessage', message('warning'));
    replace('showErrorMessage', message('error'));
  }

  /** Answers for the next input boxes, in order (undefined = Escape). */
  answerInputs(...answers: Array<string | undefined>): this {
    this.inputAnswers.push(...answers);
    return this;
  }

  answerPick(choose: (label: string) => boolean): this {
    this.pickAnswers.push(choose);
    return this;
  }

  answerOpenDialog(uris: vscode.Uri[]): this {
    this.openDialogAnswer = uris;
    return this;
  }

  /** The button to press in messages of this kind (none by default, as when a toast is ignored). */
  answerMessages(kind: MessageKind, button: string): this {
    this.messageAnswers.set(kind, button);
    return this;
  }

  /** Every scripted input was asked for. */
  assertAllAnswered(): void {
    assert.deepEqual(this.inputAnswers, [], 'Some scripted input box answers were never asked for');
    assert.deepEqual(this.pickAnswers, [], 'Some scripted quick pick answers were never asked for');
  }

  messagesOf(kind: MessageKind): string[] {
    return this.messages.filter((m) => m.kind === kind).map((m) => m.message);
  }

  restore(): void {
    const window = vscode.window as unknown as Record<WindowFunction, unknown>;
    for (const [name, original] of this.originals) window[name] = original;
    this.originals.clear();
  }
}

const SCRATCH_EXTENSIONS: Record<string, string> = { markdown: 'md', plaintext: 'txt', javascript: 'js' };
let scratchFolder: string | undefined;
let scratchFiles = 0;

/**
 * Opens `content` as a file of its own in `language`: an untitled document's URI (and, seen here,
 * even its text) can be handed on to the next untitled document, so tests use files.
 */
export async function openScratchFile(content: string, language = 'markdown'): Promise<vscode.TextDocument> {
  scratchFolder ??= mkdtempSync(path.join(tmpdir(), 'zulip-scratch-'));
  const file = path.join(scratchFolder, `doc${++scratchFiles}.${SCRATCH_EXTENSIONS[language] ?? 'txt'}`);
  writeFileSync(file, content);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  if (document.languageId !== language) await vscode.languages.setTextDocumentLanguage(document, language);
  return document;
}
