// Mention diagnostics, quick fixes, the rename offer and the Markdown preview's chips, in real VS
// Code against the repository's Zulip server. The members renamed and deactivated here are added
// by the suite, so other suites see the seeded organization unchanged.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ZulipTestApi } from '../../src/extension';
import { activateExtension, FakeWindow, openScratchFile, removeAllAccounts, signInDirectly, testServer, waitFor } from './helpers';
import { control } from './serverControl';

const SOURCE = 'Zulip';

function zulipDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const codes = (uri: vscode.Uri) => zulipDiagnostics(uri).map((d) => `${d.range.start.line}:${d.range.start.character} ${codeOf(d)}`);

suite('Mention diagnostics, quick fixes and the preview', function () {
  this.timeout(60_000);
  let api: ZulipTestApi;
  let ophelia: number;
  let twins: number[];
  let fake: FakeWindow | undefined;
  const suffix = Date.now().toString(36);
  const name = `Ophelia Tester ${suffix}`;
  const twinName = `Twin Person ${suffix}`;

  suiteSetup(async () => {
    api = await activateExtension();
    await removeAllAccounts(api);
    const { org } = await signInDirectly(api, testServer());
    const add = async (full_name: string) => (await control<{ user_id: number }>(testServer(), 'add-user', { full_name })).user_id;
    ophelia = await add(name);
    twins = [await add(twinName), await add(twinName)];
    await waitFor('the new members in the extension', () => twins.every((id) => org.members.get(id)));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const id of [ophelia, ...twins]) await control(testServer(), 'remove-user', { user_id: id });
    await removeAllAccounts(api);
  });

  teardown(async () => {
    fake?.restore();
    fake = undefined;
    // Saved, so closing asks nothing.
    for (const d of vscode.workspace.textDocuments) if (d.isDirty && d.uri.scheme === 'file') await d.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function open(content: string, language = 'markdown'): Promise<vscode.TextEditor> {
    const document = await openScratchFile(content, language);
    assert.equal(document.languageId, language);
    return vscode.window.showTextDocument(document);
  }

  test('diagnostics appear for unknown, shared, quoted and |id mentions, and follow edits', async () => {
    const editor = await open(`@**${name}** @**Nobody At All ${suffix}** @**${twinName}**\n> @**${name}**\n@**${twinName}|${ophelia}**`);
    const uri = editor.document.uri;
    const start = `@**${name}** `.length;
    await waitFor('the diagnostics', () => zulipDiagnostics(uri).length === 4);
    assert.deepEqual(codes(uri), [`0:${start} unknownName`, `0:${start + `@**Nobody At All ${suffix}** `.length} ambiguous`, '1:2 quoted', '2:0 idNameMismatch']);
    const ambiguous = zulipDiagnostics(uri)[1];
    assert.equal(ambiguous.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(ambiguous.message, /2 members are named/);
    // Fixing the unknown name by typing: its diagnostic goes, the others stay where they are.
    await editor.edit((b) => b.replace(new vscode.Range(0, start, 0, start + `@**Nobody At All ${suffix}**`.length), `@**${name}**`));
    await waitFor('the diagnostic to go', () => zulipDiagnostics(uri).length === 3);
    assert.deepEqual(codes(uri).map((c) => c.split(' ')[1]), ['ambiguous', 'quoted', 'idNameMismatch']);
  });

  test('quick fixes pick one of the same-named members and fix an |id; "fix all" fixes what needs no choice', async () => {
    const editor = await open(`Ask @**${twinName}**.\n@**${twinName}|${ophelia}**`);
    const uri = editor.document.uri;
    await waitFor('the diagnostics', () => zulipDiagnostics(uri).length === 2).catch((error: Error) => {
      throw new Error(`${error.message}; shown: ${JSON.stringify(codes(uri))}, in the model: ${JSON.stringify(api.mentionDiagnostics.diagnosticsOf(editor.document).map((d) => d.code))}, uri ${uri.toString()}, text ${JSON.stringify(editor.document.getText())}, open: ${vscode.workspace.textDocuments.map((d) => d.uri.toString()).join(' ')}`);
    });
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 6, 0, 6));
    const choices = actions.filter((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value && a.title.includes('|'));
    assert.deepEqual(choices.map((a) => a.title.match(/\|(\d+)$/)?.[1]), twins.map(String));
    assert.ok(await vscode.workspace.applyEdit(choices[1].edit!));
    assert.equal(editor.document.lineAt(0).text, `Ask @**${twinName}|${twins[1]}**.`);

    await waitFor('the diagnostics after the fix', () => zulipDiagnostics(uri).length === 1);
    // Asked as VS Code asks on save with "source.fixAll" (a request may be cancelled while the editor settles).
    const fixAll = await waitFor('the fix-all action', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll');
      return found.length ? found : undefined;
    });
    assert.equal(fixAll.length, 1);
    assert.equal(fixAll[0].title, 'Fix all Zulip mentions in this file');
    assert.ok(await vscode.workspace.applyEdit(fixAll[0].edit!));
    assert.equal(editor.document.lineAt(1).text, `@**${name}|${ophelia}**`);
    await waitFor('no diagnostics left', () => zulipDiagnostics(uri).length === 0);
  });

  test('a rename on the server re-diagnoses at once and offers to update the open mentions; a deactivation follows', async () => {
    const editor = await open(`Hello @**${name}**, and @**${name}|${ophelia}**!`);
    const uri = editor.document.uri;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(codes(uri), []);
    fake = new FakeWindow().answerMessages('info', 'Update Mentions');
    const renamed = `Ophelia Renamed ${suffix}`;
    await control(testServer(), 'update-user', { user_id: ophelia, change: { full_name: renamed } });
    await waitFor('the rename offer', () => fake!.messagesOf('info').find((m) => m.includes(`is now called ${renamed}`)));
    // Documents of earlier tests are still open to VS Code (their editors closed): they count too.
    assert.match(fake.messagesOf('info').join('\n'), /Update \d+ mentions in \d+ open files?\?/);
    await waitFor('the mentions to follow', () => editor.document.getText() === `Hello @**${renamed}**, and @**${renamed}|${ophelia}**!`);
    await waitFor('no diagnostics after the update', () => zulipDiagnostics(uri).length === 0);

    await control(testServer(), 'update-user', { user_id: ophelia, change: { is_active: false } });
    await waitFor('deactivation diagnostics', () => zulipDiagnostics(uri).length === 2 && zulipDiagnostics(uri).every((d) => codeOf(d) === 'deactivatedMember'));
    // The server's control API applies one change per request.
    await control(testServer(), 'update-user', { user_id: ophelia, change: { is_active: true } });
    await control(testServer(), 'update-user', { user_id: ophelia, change: { full_name: name } });
    const org = api.organizations.default()!;
    await waitFor('the member back, with the old name', () => org.members.get(ophelia)?.is_active && org.members.get(ophelia)?.full_name === name);
  });

  test("the server's own bots are mentioned by name; a bare ``` fence is what the organization's default code block language makes it", async () => {
    const bareFence = `\`\`\`\n@**${name}**\n\`\`\``;
    const editor = await open(`@**Notification Bot** says hi\n\n@**Nobody At All ${suffix}**\n\n${bareFence}\n`);
    const uri = editor.document.uri;
    const org = api.organizations.list()[0];
    // Nobody in the organization has the bot's name, so its cross-realm bots are asked for.
    await waitFor('the cross-realm bots', () => org.loadedCrossRealmBots !== undefined);
    await waitFor('the bot known', () => codes(uri).join() === '2:0 unknownName');
    try {
      await control(testServer(), 'settings', { default_code_block_language: 'quote' });
      await waitFor('the fence read as a quote', () => codes(uri).join() === '2:0 unknownName,5:0 quoted');
      assert.equal(org.defaultCodeBlockLanguage, 'quote');
      // The preview reads the bare fence as the organization does: a quote, its mention silent.
      const quoted = await vscode.commands.executeCommand<string>('markdown.api.render', bareFence);
      assert.match(quoted, new RegExp(`<blockquote[^>]*>[\\s\\S]*zulip-mention-silent"[^>]*>${name}<`));
    } finally {
      await control(testServer(), 'settings', { default_code_block_language: '' });
    }
    await waitFor('the fence read as code again', () => codes(uri).join() === '2:0 unknownName');
    assert.doesNotMatch(await vscode.commands.executeCommand<string>('markdown.api.render', bareFence), /zulip-mention/);
  });

  test('plain text is checked too, with mentions anywhere on a line; other languages are not', async () => {
    const text = await open(`// TODO(@**Nobody At All ${suffix}**): fix`, 'plaintext');
    await waitFor('the plain-text diagnostic', () => zulipDiagnostics(text.document.uri).length === 1);
    const code = await open(`// @**Nobody At All ${suffix}**`, 'javascript');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(zulipDiagnostics(code.document.uri).length, 0);
  });

  test('the Markdown preview renders mentions as chips with the current name, and unknown ones as Zulip does', async () => {
    const html = await vscode.commands.executeCommand<string>(
      'markdown.api.render',
      `Ask @**${name.toLowerCase()}**, @_**|${ophelia}**, @**all** and @**Nobody At All ${suffix}**\n\n> @**${name}**\n\n\`\`\`quote\n@**${name}**\n\`\`\``,
    );
    assert.match(html, new RegExp(`<a class="zulip-mention zulip-mention-user" href="${testServer().site.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/#user/${ophelia}"[^>]*>@${name}</a>`));
    assert.match(html, new RegExp(`zulip-mention-silent"[^>]*>${name}<`));
    assert.match(html, /zulip-mention-wildcard[^>]*>@all</);
    assert.match(html, new RegExp(`@<strong>Nobody At All ${suffix}</strong>`));
    assert.equal((html.match(/zulip-mention-silent/g) ?? []).length, 3, 'the silent one, the one in a > quote and the one in a quote fence');
  });
});
