// Find Member…, Show My Profile, mention hover cards and mention completion, in real VS Code
// against the repository's Zulip server (King Hamlet signed in to "Zulip Dev").
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MemberPickItem } from '../../src/commands/findMemberCommand';
import type { ZulipTestApi } from '../../src/extension';
import type { Organization } from '../../src/model/organization';
import { activateExtension, openScratchFile, removeAllAccounts, signInDirectly, testServer, waitFor } from './helpers';
import { control } from './serverControl';


/** Markdown with its backslash escapes removed: the text a person reads. */
function readable(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

suite('Find Member, mention hovers and completion', function () {
  this.timeout(60_000);
  let api: ZulipTestApi;
  let org: Organization;
  let myUserId: number;

  suiteSetup(async () => {
    api = await activateExtension();
    await removeAllAccounts(api);
    const signedIn = await signInDirectly(api, testServer());
    myUserId = signedIn.account.userId;
    org = signedIn.org;
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeAllAccounts(api);
  });

  teardown(async () => {
    seam().current?.hide();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  function seam(): { current?: vscode.QuickPick<MemberPickItem> } {
    return api.findMember;
  }

  /** Runs Find Member… with a typed value, waits for the items, picks one, and presses Enter. */
  async function findAndAccept(value: string, choose: (items: readonly MemberPickItem[]) => MemberPickItem | undefined) {
    const done = vscode.commands.executeCommand<{ accountId: string; userId: number } | undefined>('zulip.findMember', { value });
    const pick = await waitFor('the Find Member quick pick', () => seam().current);
    const item = await waitFor(`an item to pick for "${value}"`, () => (pick.items.length ? choose(pick.items) : undefined));
    pick.activeItems = [item];
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    return { result: await done, pick, item };
  }

  function profileTabs(): string[] {
    return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview).map((t) => t.label);
  }

  test('the palette finds a member by name, shows email, role and avatar, and opens the profile', async () => {
    const { result, pick } = await findAndAccept('desdem', (items) => items.find((i) => i.type === 'member' && i.user.user_id === 5));
    assert.deepEqual(result, { accountId: org.id, userId: 5 });
    const first = pick.items[0];
    assert.equal(first.label, 'Desdemona');
    assert.equal(first.description, 'desdemona@zulip.com');
    assert.match(first.detail ?? '', /Owner · user id 5/);
    // The avatar's cached file, or no icon while it downloads (never an https URL that may not load).
    assert.ok(first.iconPath === undefined || (first.iconPath instanceof vscode.Uri && first.iconPath.scheme === 'file'), 'the avatar file is the item icon');
    assert.ok(first.buttons?.length === 2, 'copy mention and copy email buttons');
    await waitFor('the profile panel', () => profileTabs().some((label) => label.includes('Desdemona')));
  });

  test('the palette finds a member by email and by id, exact matches first', async () => {
    const byEmail = await findAndAccept('desdemona@zulip.com', (items) => items[0]);
    assert.deepEqual(byEmail.result, { accountId: org.id, userId: 5 });
    const byId = await findAndAccept('16', (items) => items[0]);
    assert.deepEqual(byId.result, { accountId: org.id, userId: 16 });
  });

  test('typing a user id offers that member first and Enter opens them, not a name that holds the digits', async () => {
    // Converter Bot is user 26; these two have "26" in their names, which VS Code would rank first.
    const decoys = [
      { user_id: 1026, full_name: 'Member 00026 Charlie', delivery_email: 'charlie.1026@example.com' },
      { user_id: 2026, full_name: '26 Degrees Weather', delivery_email: 'weather.2026@example.com' },
    ];
    for (const decoy of decoys) await control(testServer(), 'add-user', decoy);
    try {
      await waitFor('the new members in the index', () => decoys.every((d) => org.members.get(d.user_id)));
      const done = vscode.commands.executeCommand<{ accountId: string; userId: number } | undefined>('zulip.findMember', { value: '26' });
      const pick = await waitFor('the Find Member quick pick', () => seam().current);
      await waitFor('the ranked items', () => pick.items.length >= 3 && pick.items[0].type === 'member');
      const shown = pick.items.map((i) => (i.type === 'member' ? i.user.user_id : i.type));
      assert.equal(shown[0], 26, `user 26 comes first: ${shown.join(', ')}`);
      // What VS Code has focused, after its own filtering and sorting, is what Enter takes.
      const active = await waitFor('the focused item', () => pick.activeItems[0]);
      assert.ok(active.type === 'member' && active.user.user_id === 26, `focused: ${active.label}`);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      assert.deepEqual(await done, { accountId: org.id, userId: 26 });
      await waitFor('the profile panel of Converter Bot', () => profileTabs().some((label) => label.includes('Converter Bot')));
    } finally {
      for (const decoy of decoys) await control(testServer(), 'remove-user', { user_id: decoy.user_id });
    }
  });

  test('bots, deactivated members and hidden addresses are shown as such', async () => {
    const done = vscode.commands.executeCommand('zulip.findMember', { value: 'o' });
    const pick = await waitFor('the quick pick', () => seam().current);
    const items = await waitFor('items', () => (pick.items.length > 3 ? pick.items : undefined));
    const detail = (id: number) => items.find((i) => i.type === 'member' && i.user.user_id === id);
    assert.match(detail(15)?.detail ?? '', /Deactivated/);
    assert.match(detail(27)?.detail ?? '', /Generic bot · Deactivated/);
    // Othello shows his address to moderators only: no email, and never user9@….
    assert.equal(detail(9)?.description, undefined);
    pick.hide();
    await done;
  });

  test('an id the index does not have is looked up on the server and added for every view', async () => {
    org.members.remove(16);
    assert.equal(org.members.get(16), undefined);
    const { result, item } = await findAndAccept('16', (items) => items.find((i) => i.type === 'lookup'));
    assert.match(item.label, /Look up user id 16 on the server/);
    assert.deepEqual(result, { accountId: org.id, userId: 16 });
    assert.equal(org.members.get(16)?.full_name, 'Iago');
  });

  test('a lookup the server refuses says so in the quick pick', async () => {
    const done = vscode.commands.executeCommand('zulip.findMember', { value: '99999' });
    const pick = await waitFor('the quick pick', () => seam().current);
    const lookup = await waitFor('the lookup item', () => pick.items.find((i) => i.type === 'lookup'));
    pick.activeItems = [lookup];
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const message = await waitFor('the refusal', () => pick.items.find((i) => i.type === 'message'));
    assert.match(message.detail ?? '', /no member with user id 99999 that you may see \(the server said: "No such user"\)/);
    pick.hide();
    assert.equal(await done, undefined);
  });

  test('Show My Profile opens the signed-in member', async () => {
    const result = await vscode.commands.executeCommand('zulip.showMyProfile');
    assert.deepEqual(result, { accountId: org.id, userId: myUserId });
  });

  async function notes(): Promise<vscode.TextDocument> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the demo workspace is open');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'team-notes.md'));
    await vscode.window.showTextDocument(document);
    return document;
  }

  async function hoverAt(document: vscode.TextDocument, text: string, offsetInText = 3): Promise<{ text: string; hovers: vscode.Hover[] }> {
    const at = document.getText().indexOf(text);
    assert.ok(at >= 0, `${text} is in the sample`);
    const position = document.positionAt(at + offsetInText);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    return { text: readable(hoverText(hovers)), hovers };
  }

  test('hovering @**Iago|16** shows that Iago: role, local time, actions', async () => {
    const document = await notes();
    const { text, hovers } = await hoverAt(document, '@**Iago|16**');
    assert.match(text, /\*\*Iago\*\*/);
    assert.match(text, /Member/);
    assert.match(text, /local time \(Asia\/Tokyo\)/);
    assert.match(text, /user id 16/);
    assert.match(text, /\[Open profile\]\(command:zulip\.openProfile\?/);
    assert.match(text, /\[Copy mention\]\(command:zulip\.copyMention\?/);
    const card = hovers.find((h) => hoverText([h]).includes('Iago'));
    assert.ok(card?.range, 'the hover covers the mention');
    assert.equal(document.getText(card.range), '@**Iago|16**');
    // Command links run for the card's two commands only; no HTML.
    const content = card.contents.find((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString);
    assert.deepEqual(content?.isTrusted, { enabledCommands: ['zulip.openProfile', 'zulip.copyMention'] });
    assert.ok(!content?.supportHtml);
  });

  test('hover cards: a shared name, an unknown name, a wildcard, a group, and nothing inside code', async () => {
    const document = await notes();
    const byId = (await hoverAt(document, '@**Iago|11**')).text;
    assert.match(byId, /Administrator[\s\S]*user id 11/);
    const shared = (await hoverAt(document, "@**Iago's Bot**")).text;
    assert.match(shared, /Generic bot/);
    const unknown = (await hoverAt(document, '@**Rosencrantz**')).text;
    assert.match(unknown, /No member of Zulip Dev is called "Rosencrantz"/);
    const wildcard = (await hoverAt(document, '@**all**')).text;
    assert.match(wildcard, /Wildcard mention: notifies everyone subscribed to the channel/);
    const group = (await hoverAt(document, '@*backend*')).text;
    assert.match(group, /backend[\s\S]*User group of Zulip Dev · 5 members[\s\S]*Backend team/);
    const silent = (await hoverAt(document, '@_**aaron**')).text;
    assert.match(silent, /Silent mention/);
    const inCode = (await hoverAt(document, '`@**King Hamlet**`', 4)).text;
    assert.doesNotMatch(inCode, /King Hamlet/);
    const inWord = (await hoverAt(document, 'polonius@**Polonius**', 9)).text;
    assert.doesNotMatch(inWord, /Guest/);
  });

  test('a name several members share lists them with ids and the |id form', async () => {
    const document = await openScratchFile('Ask @**iago** about it.');
    await vscode.window.showTextDocument(document);
    const text = (await hoverAt(document, '@**iago**')).text;
    assert.match(text, /2 members of Zulip Dev are called "iago"/);
    assert.match(text, /user id 11 · @\*\*Iago\|11\*\*/);
    assert.match(text, /user id 16 · @\*\*Iago\|16\*\*/);
  });

  async function complete(language: string, content: string): Promise<{ document: vscode.TextDocument; items: vscode.CompletionItem[]; position: vscode.Position }> {
    const document = await openScratchFile(content, language);
    await vscode.window.showTextDocument(document);
    assert.equal(document.getText(), content);
    const position = document.positionAt(content.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position, '*', 5);
    return { document, items: list.items, position };
  }

  function insertText(item: vscode.CompletionItem): string {
    return typeof item.insertText === 'string' ? item.insertText : (item.insertText?.value ?? '');
  }

  test('completion after @** inserts @**Full Name** as Zulip writes it, replacing what was typed', async () => {
    const { document, items } = await complete('markdown', 'Thanks @**desd');
    const item = items.find((i) => insertText(i) === '@**Desdemona**');
    assert.ok(item, `Desdemona is offered: ${items.filter((i) => insertText(i).startsWith('@')).map(insertText).join(', ')} of ${items.length}`);
    const range = item.range instanceof vscode.Range ? item.range : item.range!.replacing;
    assert.equal(document.getText(range), '@**desd');
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((edit) => edit.replace(range, insertText(item)));
    assert.equal(document.getText(), 'Thanks @**Desdemona**');
    assert.equal(item.detail, 'desdemona@zulip.com', 'the email is the detail');
  });

  test('completion adds |id for a shared name, and for every member with zulip.completion.alwaysIncludeId', async () => {
    const shared = (await complete('markdown', '@**iago')).items.map(insertText);
    assert.ok(shared.includes('@**Iago|11**') && shared.includes('@**Iago|16**'), shared.join(', '));
    const config = vscode.workspace.getConfiguration('zulip');
    try {
      await config.update('completion.alwaysIncludeId', true, vscode.ConfigurationTarget.Global);
      const always = (await complete('markdown', '@**desd')).items.map(insertText);
      assert.ok(always.includes('@**Desdemona|5**'), always.join(', '));
    } finally {
      await config.update('completion.alwaysIncludeId', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('completion: silent form, email matches, members before wildcards before groups', async () => {
    const silent = await complete('plaintext', 'cc @_**iago');
    const inserts = silent.items.map(insertText);
    assert.ok(inserts.includes('@_**Iago|11**') && inserts.includes('@_**Iago|16**'), inserts.join(', '));
    const byEmail = await complete('markdown', '@**shiva@zu');
    assert.ok(byEmail.items.some((i) => insertText(i) === '@**Shiva**'));
    const all = await complete('markdown', '@**');
    const kinds = all.items
      .filter((i) => insertText(i).startsWith('@*'))
      .sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''))
      .map((i) => (i.kind === vscode.CompletionItemKind.User ? 'member' : i.kind === vscode.CompletionItemKind.Keyword ? 'wildcard' : 'group'));
    assert.ok(kinds.indexOf('wildcard') > kinds.lastIndexOf('member'), kinds.join(' '));
    assert.ok(kinds.indexOf('group') > kinds.lastIndexOf('wildcard'), kinds.join(' '));
    assert.ok(all.items.some((i) => insertText(i) === '@*backend*'));
    assert.ok(!all.items.some((i) => insertText(i) === '@*role:members*'), 'system groups are not offered');
  });

  test('completion is off in languages the setting does not list', async () => {
    const { items } = await complete('javascript', '// @**desd');
    assert.ok(!items.some((i) => insertText(i).startsWith('@**')));
  });

  test('the language settings take effect at once', async () => {
    const config = vscode.workspace.getConfiguration('zulip');
    try {
      await config.update('completion.languages', ['javascript'], vscode.ConfigurationTarget.Global);
      const js = await complete('javascript', '// @**desd');
      assert.ok(js.items.some((i) => insertText(i) === '@**Desdemona**'), 'offered in JavaScript once listed');
      const md = await complete('markdown', '@**desd');
      assert.ok(!md.items.some((i) => insertText(i) === '@**Desdemona**'), 'no longer offered in Markdown');

      await config.update('mentions.languages', ['markdown'], vscode.ConfigurationTarget.Global);
      const plain = await openScratchFile('ask @**Desdemona**', 'plaintext');
      assert.doesNotMatch((await hoverAt(plain, '@**Desdemona**')).text, /Owner/);
      const markdown = await openScratchFile('ask @**Desdemona**');
      assert.match((await hoverAt(markdown, '@**Desdemona**')).text, /Owner/);
    } finally {
      await config.update('completion.languages', undefined, vscode.ConfigurationTarget.Global);
      await config.update('mentions.languages', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
