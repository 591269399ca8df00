// The hostile corpus (server/hostile.ts) on every surface the extension draws member data on, in
// real VS Code: the Members tree (labels, descriptions, tooltips), mention hovers, completion, the
// Find Member quick pick and the profile panel. Each must hold nothing executable (no raw HTML, no
// links but the extension's own commands, no script URLs; the profile page read with a real HTML
// parser) and show the member's text as text. The end-to-end suite proves the same in the
// rendered workbench; this one covers every surface and input quickly.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MemberPickItem } from '../../src/commands/findMemberCommand';
import type { ZulipTestApi } from '../../src/extension';
import type { Organization } from '../../src/model/organization';
import { CARD_COMMANDS } from '../../src/views/mentionCard';
import { HOSTILE_PEOPLE_VALUES, HOSTILE_VALUES, type HostileInput } from '../../server/hostile';
import { asParsed, assertInertHtml, byClass, elements, parseHtml, textOf } from '../reliability/inertHtml';
import { renderMarkdown } from '../reliability/inertMarkdown';
import { notificationLinks } from '../reliability/notificationLinks';
import { trial } from '../reliability/outcomes';
import { activateExtension, FakeWindow, removeAllAccounts, signInDirectly, testServer, type TestServer, waitFor } from './helpers';
import { control } from './serverControl';

interface HostileMember {
  userId: number;
  input: HostileInput;
}

/** How VS Code shows a quick pick or suggestion label: `\$(x)` as "$(x)", an unescaped `$(x)` as an icon. */
function shownLabel(label: string): string {
  return label.replace(/(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z0-9-]*)?)\)/g, (_m, escaped: string | undefined, name: string) => (escaped ? `$(${name})` : `{icon:${name}}`));
}

/** Markdown text as read: line breaks and runs of spaces are one space. */
const oneLine = (text: string) => text.replace(/\s+/gu, ' ').trim();

/** A name as Markdown shows it: on one line, NUL as U+FFFD (CommonMark's rule). */
const asMarkdownText = (text: string) => oneLine(text.replace(/\0/g, '\ufffd'));

suite('Hostile content stays inert', function () {
  this.timeout(60_000);
  let api: ZulipTestApi;
  let server: TestServer;
  let org: Organization;
  let hostile: HostileMember[] = [];
  let groupName = '';

  suiteSetup(async () => {
    api = await activateExtension();
    server = testServer();
    await removeAllAccounts(api);
    ({ org } = await signInDirectly(api, server));
    const added = await control<{ members: Array<{ user_id: number; input: string }> }>(server, 'hostile', {});
    const { HOSTILE_NAMES } = await import('../../server/hostile');
    hostile = added.members.map((m) => ({ userId: m.user_id, input: HOSTILE_NAMES.find((n) => n.id === m.input)! }));
    groupName = HOSTILE_VALUES.find((v) => v.id === 'group-name')!.text;
    // They arrive as realm_user events, the fields as a custom_profile_fields event.
    await waitFor('the hostile members', () => hostile.every((m) => org.members.get(m.userId)?.full_name === m.input.text));
    await waitFor('the hostile fields', () => org.profileFields.some((f) => f.id === 101));
  });

  suiteTeardown(async () => {
    api.findMember.current?.hide();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await control(server, 'hostile', { remove: true });
    await removeAllAccounts(api);
  });

  function inert(input: HostileInput, surface: string, body: () => Promise<void> | void): Promise<void> {
    return trial('integration', { kind: 'hostile', name: input.id, surface, layer: 'integration' }, body);
  }

  const carrier = () => hostile[0];
  const value = (id: string) => HOSTILE_VALUES.find((v) => v.id === id)!;

  test('Members tree: labels are the names as given; tooltips are untrusted Markdown with no link, image or HTML', async () => {
    const provider = api.members.provider;
    for (const member of hostile) {
      await inert(member.input, 'Members tree row and tooltip', () => {
        const node = provider.model.memberNode(org.id, member.userId);
        const item = provider.getTreeItem(node);
        assert.equal(item.label, member.input.text, 'the label is the name, as text');
        assert.deepEqual(item.command?.arguments, [{ accountId: org.id, userId: member.userId }]);
        assert.equal(item.command?.command, 'zulip.openProfile');
        const tooltip = item.tooltip as vscode.MarkdownString;
        assert.ok(tooltip instanceof vscode.MarkdownString);
        assert.equal(tooltip.isTrusted, false);
        assert.equal(tooltip.supportHtml, false);
        const rendered = renderMarkdown(tooltip.value);
        assert.deepEqual(rendered.links, [], rendered.html);
        assert.deepEqual(rendered.images, []);
        assert.deepEqual(rendered.rawTags, []);
        assert.ok(oneLine(rendered.text).includes(asMarkdownText(member.input.text)), `the name is in the tooltip: ${rendered.text.slice(0, 200)}`);
      });
    }
    for (const id of ['email-html', 'pronouns-html', 'timezone-script']) {
      await inert(value(id), 'Members tree row and tooltip', () => {
        const item = provider.getTreeItem(provider.model.memberNode(org.id, carrier().userId));
        const rendered = renderMarkdown((item.tooltip as vscode.MarkdownString).value);
        assert.deepEqual([rendered.links, rendered.images, rendered.rawTags], [[], [], []]);
        const shown = id === 'pronouns-html' ? `${item.description}` : rendered.text;
        const expected = id === 'timezone-script' ? /Unknown time zone|time zone/i : undefined;
        if (expected) assert.match(rendered.text, expected);
        else assert.ok(oneLine(shown).includes(oneLine(value(id).text)), `${id} shows as text`);
      });
    }
  });

  test('mention hovers: the card links only to Open profile and Copy mention for that member; names and groups show as text', async () => {
    const lines = hostile.map((m) => `@**|${m.userId}**`);
    lines.push(`@*${groupName}*`);
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: lines.join('\n') });
    for (const [index, member] of hostile.entries()) {
      await inert(member.input, 'mention hover card', async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(index, 3));
        const card = hovers.flatMap((h) => h.contents).find((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString && c.value.includes('Open profile'));
        assert.ok(card, `a card for ${member.input.id}`);
        assert.equal(card.supportHtml, false);
        const rendered = renderMarkdown(card.value);
        assert.deepEqual(rendered.rawTags, [], rendered.html.slice(0, 300));
        assert.equal(rendered.links.length, 2);
        for (const link of rendered.links) {
          const match = /^command:([\w.]+)\?(.*)$/.exec(link);
          assert.ok(match && (CARD_COMMANDS as readonly string[]).includes(match[1]), `only the card's commands: ${link}`);
          assert.deepEqual(JSON.parse(decodeURIComponent(match[2])), { accountId: org.id, userId: member.userId });
        }
        // The avatar once its file is in the cache (no image before: never a broken one), nothing else.
        assert.ok(rendered.images.length <= 1, `the avatar and nothing else: ${rendered.images.join(' ')}`);
        for (const image of rendered.images) assert.match(image, /^(file|vscode-[a-z-]+):/);
        assert.ok(oneLine(rendered.text).includes(asMarkdownText(member.input.text)), `the name shows as text: ${rendered.text.slice(0, 200)}`);
      });
    }
    await inert(value('group-name'), 'mention hover card', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(hostile.length, 2));
      const markdown = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
      const rendered = renderMarkdown(markdown);
      assert.deepEqual([rendered.links, rendered.images, rendered.rawTags], [[], [], []], rendered.html);
      assert.ok(rendered.text.includes(groupName), rendered.text);
      assert.ok(rendered.text.includes('[Sign out](command:zulip.signOut)'), 'the description shows as text');
    });
  });

  test('completion: labels are the names as given; the inserted mention is the name, or the id when the name cannot be written; details carry no link', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '@**Mallory' });
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(0, 10), undefined, 60);
    for (const member of hostile) {
      await inert(member.input, 'completion list', () => {
        // As Zulip's web app writes it: the name alone, or `|id` when the name is shared or cannot be read back.
        const item = list.items.find((i) => typeof i.insertText === 'string' && (i.insertText === `@**${member.input.text}**` || i.insertText.endsWith(`|${member.userId}**`)));
        assert.ok(item, `offered: ${member.input.id}`);
        const label = typeof item.label === 'string' ? item.label : item.label.label;
        assert.equal(shownLabel(label), member.input.text, 'the label shows the name as typed');
        const docs = item.documentation instanceof vscode.MarkdownString ? item.documentation : undefined;
        assert.ok(docs, 'resolved documentation');
        assert.ok(!docs.isTrusted, 'untrusted');
        const rendered = renderMarkdown(docs.value);
        assert.deepEqual([rendered.links, rendered.rawTags], [[], []], rendered.html.slice(0, 300));
        // The avatar once its file is cached (none before it: never a broken image), nothing else.
        assert.ok(rendered.images.length <= 1, rendered.images.join(' '));
        for (const image of rendered.images) assert.match(image, /^(file|vscode-[a-z-]+):/);
        assert.ok(oneLine(rendered.text).includes(asMarkdownText(member.input.text)), `the name shows as text: ${rendered.text.slice(0, 200)}`);
      });
    }
  });

  test('Find Member: every hostile name and address is shown as typed, never as icons', async () => {
    const done = vscode.commands.executeCommand('zulip.findMember', { value: 'Mallory' });
    const pick = await waitFor('the quick pick', () => api.findMember.current);
    const items = await waitFor('the hostile members', () => (pick.items.filter((i) => i.type === 'member').length >= hostile.length ? pick.items : undefined));
    for (const member of hostile) {
      await inert(member.input, 'Find Member quick pick', () => {
        const item = items.find((i): i is Extract<MemberPickItem, { type: 'member' }> => i.type === 'member' && i.user.user_id === member.userId);
        assert.ok(item);
        assert.equal(shownLabel(item.label), member.input.text);
      });
    }
    await inert(value('email-html'), 'Find Member quick pick', () => {
      const item = items.find((i) => i.type === 'member' && i.user.user_id === carrier().userId)!;
      assert.equal(shownLabel(item.description ?? ''), value('email-html').text);
    });
    pick.hide();
    await done;
  });

  test('mention diagnostics and quick fixes: messages and fix titles are one line of text; a fix writes only a mention', async () => {
    // Each hostile name with another member's id: Zulip shows plain text, and the diagnostic quotes both names.
    const other = (i: number) => hostile[(i + 1) % hostile.length].userId;
    const lines = hostile.map((m, i) => `@**${m.input.text.replace(/[\r\n*]/g, ' ')}|${other(i)}**`);
    lines.push(`@*${groupName}* and @**Nobody ${Date.now()}**`);
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: lines.join('\n') });
    await vscode.window.showTextDocument(document);
    const ours = () => vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Zulip');
    await waitFor('the diagnostics of every line', () => new Set(ours().map((d) => d.range.start.line)).size === lines.length);
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    const distorting = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
    for (const [index, member] of hostile.entries()) {
      await inert(member.input, 'mention diagnostics and quick fixes', async () => {
        const diagnostics = ours().filter((d) => d.range.start.line === index);
        assert.ok(diagnostics.length > 0, `a diagnostic for ${member.input.id}`);
        for (const d of diagnostics) assert.ok(!distorting.test(d.message), `one plain line: ${JSON.stringify(d.message.slice(0, 120))}`);
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostics[0].range, vscode.CodeActionKind.QuickFix.value);
        const fixes = actions.filter((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value);
        assert.ok(fixes.length > 0, `quick fixes for ${member.input.id}`);
        for (const fix of fixes) {
          assert.ok(!distorting.test(fix.title), `one plain line: ${JSON.stringify(fix.title.slice(0, 120))}`);
          assert.equal(fix.command, undefined, 'a fix runs no command');
          const edits = fix.edit?.get(document.uri) ?? [];
          assert.equal(edits.length, 1);
          assert.match(edits[0].newText, /^@_?\*\*[^\n]*\|\d+\*\*$/, 'the fix writes one mention with an id');
          assert.equal(edits[0].range.start.line, index);
        }
      });
    }
    await inert(value('group-name'), 'mention diagnostics and quick fixes', () => {
      const line = ours().filter((d) => d.range.start.line === hostile.length);
      assert.ok(line.length > 0, 'the group line is diagnosed');
      for (const d of line) assert.ok(!distorting.test(d.message), JSON.stringify(d.message));
    });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('Markdown preview: hostile names and group names are chips of text; nothing else comes from them', async () => {
    const lines = hostile.map((m) => `@**|${m.userId}**`);
    lines.push(`@*${groupName}*`);
    // The group line holds the group's name, HTML and all: once it is a chip, that is text too.
    const html = await waitFor('the group chip', async () => {
      const rendered = await vscode.commands.executeCommand<string>('markdown.api.render', lines.join('\n\n'));
      return rendered.includes('zulip-mention-group') ? rendered : undefined;
    });
    assertInertHtml(html);
    const chips = elements(parseHtml(html)).filter((el) => el.attrs.some((a) => a.name === 'class' && a.value.split(' ').includes('zulip-mention')));
    for (const [index, member] of hostile.entries()) {
      await inert(member.input, 'Markdown preview', () => {
        const chip = chips[index];
        assert.ok(chip, `a chip for ${member.input.id}`);
        assert.equal(elements(chip).length, 1, 'nothing inside the chip but its text');
        // The name as text, on one line as Markdown writes it.
        assert.equal(oneLine(textOf(chip)), oneLine(`@${asParsed(member.input.text)}`));
        const href = chip.attrs.find((a) => a.name === 'href')?.value;
        if (href) assert.equal(href, `${server.site}/#user/${member.userId}`, 'the link is the profile on the organization site');
      });
    }
    await inert(value('group-name'), 'Markdown preview', () => {
      const chip = chips[hostile.length];
      assert.ok(chip, 'a chip for the group');
      assert.equal(elements(chip).length, 1);
      assert.equal(oneLine(textOf(chip)), oneLine(`@${asParsed(groupName)}`));
    });
  });

  test('profile panel: every hostile member and field value renders inert under the strict CSP, with the text shown', async () => {
    for (const member of hostile) {
      await inert(member.input, 'profile panel', async () => {
        await vscode.commands.executeCommand('zulip.openProfile', { accountId: org.id, userId: member.userId });
        const body = await waitFor('the profile', () => (api.profile.shown().body?.includes(`data-user-id="${member.userId}"`) ? api.profile.shown().body : undefined));
        assertInertHtml(body);
        const name = byClass(elements(parseHtml(body)), 'name');
        assert.equal(textOf(name!), asParsed(member.input.text));
        assert.equal(api.profile.shown().panel?.title, member.input.text, 'the tab title is the name, as text');
        assert.match(api.profile.shown().html ?? '', /Content-Security-Policy" content="default-src &#39;none&#39;;[^"]*script-src &#39;nonce-/);
      });
    }
    await vscode.commands.executeCommand('zulip.openProfile', { accountId: org.id, userId: carrier().userId });
    const body = await waitFor('the carrier profile', () => (api.profile.shown().body?.includes(`data-user-id="${carrier().userId}"`) ? api.profile.shown().body : undefined));
    const text = textOf(parseHtml(body));
    for (const input of HOSTILE_VALUES.filter((v) => v.id !== 'group-name' && v.id !== 'realm-name')) {
      await inert(input, 'profile panel', () => {
        assertInertHtml(body);
        // Values shown as text read back as given; rendered HTML keeps only its harmless parts.
        if (['email-html', 'github-break-out', 'custom-account-quote', 'pronouns-html', 'short-text-command', 'field-name', 'option-text', 'link-javascript', 'link-data'].includes(input.id)) {
          const shown = input.id === 'link-data' ? undefined : input.text;
          if (shown) assert.ok(text.includes(asParsed(shown)), `${input.id} shows as text`);
        }
      });
    }
    const anchors = elements(parseHtml(body)).filter((el) => el.tagName === 'a');
    assert.ok(anchors.length > 0, 'the safe links are still links');
  });

  test('people data: hostile statuses, emoji codes that do not exist, group names and descriptions, odd presence stay text on the row, the card and the profile', async () => {
    const provider = api.members.provider;
    const people = (id: string) => HOSTILE_PEOPLE_VALUES.find((v) => v.id === id)!;
    // addHostilePeopleData: statuses on the first four members, odd presence on the fifth and sixth.
    const holders: Array<[string, number]> = [
      ['status-html', 0],
      ['status-emoji-missing', 0],
      ['status-markdown', 1],
      ['status-custom-emoji-missing', 1],
      ['status-icon', 2],
      ['status-bidi', 3],
      ['presence-future', 4],
      ['presence-missing', 5],
    ];
    await waitFor('the hostile statuses', () => org.statuses.get(hostile[3].userId)?.text === people('status-bidi').text);
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: hostile.slice(0, 6).map((m) => `@**|${m.userId}**`).join('\n') });
    for (const [id, index] of holders) {
      const member = hostile[index];
      const input = people(id);
      await inert(input, 'Members tree row and tooltip', () => {
        const item = provider.getTreeItem(provider.model.memberNode(org.id, member.userId));
        assert.equal(item.label, member.input.text, 'no emoji from a code that is none, nothing but the name');
        assert.doesNotMatch(String(item.description ?? ''), /[\n\r\u202a-\u202e\u2066-\u2069]/, 'one line, no bidi controls');
        const rendered = renderMarkdown((item.tooltip as vscode.MarkdownString).value);
        assert.deepEqual([rendered.links, rendered.images, rendered.rawTags], [[], [], []], rendered.html.slice(0, 300));
        assert.doesNotMatch(rendered.text, /NaN|undefined|Invalid Date/);
        if (id.startsWith('status-') && !id.includes('emoji')) assert.ok(oneLine(rendered.text).includes(oneLine(input.text).replace(/[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 8)), rendered.text);
      });
      await inert(input, 'mention hover card', async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(index, 3));
        const card = hovers.flatMap((h) => h.contents).find((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString && c.value.includes('Open profile'));
        assert.ok(card);
        const rendered = renderMarkdown(card.value);
        assert.deepEqual(rendered.rawTags, []);
        assert.equal(rendered.links.length, 2, 'Open profile and Copy mention only');
        // The avatar at most: a custom emoji id that does not exist draws no image.
        assert.ok(rendered.images.length <= 1, rendered.images.join(' '));
        for (const image of rendered.images) assert.match(image, /^(file|vscode-[a-z-]+):/);
        assert.doesNotMatch(rendered.text, /NaN|undefined|Invalid Date/);
      });
      await inert(input, 'profile panel', async () => {
        await vscode.commands.executeCommand('zulip.openProfile', { accountId: org.id, userId: member.userId });
        const body = await waitFor('the profile', () => (api.profile.shown().body?.includes(`data-user-id="${member.userId}"`) ? api.profile.shown().body : undefined));
        assertInertHtml(body);
        assert.doesNotMatch(textOf(parseHtml(body)), /NaN|undefined|Invalid Date/);
        if (id === 'status-html' || id === 'status-markdown') assert.ok(textOf(parseHtml(body)).includes(asParsed(input.text).slice(0, 12)), `${id} shows as text`);
      });
    }
    // The second group: its name and description as a group mention's card shows them.
    const secondName = people('group2-name').text;
    await waitFor('the second hostile group', () => org.groupStore.all().some((g) => g.name === secondName));
    const groupDocument = await vscode.workspace.openTextDocument({ language: 'markdown', content: `@*${secondName}*` });
    for (const input of [people('group2-name'), people('group2-description')]) {
      await inert(input, 'mention hover card', async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', groupDocument.uri, new vscode.Position(0, 2));
        const markdown = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
        const rendered = renderMarkdown(markdown);
        assert.deepEqual([rendered.links, rendered.images, rendered.rawTags], [[], [], []], rendered.html);
        assert.ok(rendered.text.includes(input.id === 'group2-name' ? 'Mallory $(sync~spin)' : '[Sign out](command:zulip.signOut)'), rendered.text);
      });
    }
  });

  test('notifications: a command link in the organization name or a member name makes no link', async () => {
    const fake = new FakeWindow();
    try {
      await inert(value('realm-name'), 'notification', async () => {
        fake.answerInputs(server.site, server.email, server.apiKey);
        assert.ok(await vscode.commands.executeCommand('zulip.signInWithApiKey'));
        const success = fake.messagesOf('info').find((m) => m.startsWith('Signed in to'));
        assert.ok(success, JSON.stringify(fake.messages));
        assert.deepEqual(notificationLinks(success), [], success);
        assert.ok(success.replace(/\u200b/g, '').includes(value('realm-name').text), 'the name reads as it is');
      });
      const named = hostile.find((m) => m.input.id === 'name-command-link')!;
      await inert(named.input, 'notification', async () => {
        await vscode.commands.executeCommand('zulip.copyEmail', { accountId: org.id, userId: named.userId });
        const message = fake.messagesOf('info').at(-1) ?? '';
        assert.match(message, /email address is not visible to you/);
        assert.deepEqual(notificationLinks(message), [], message);
        assert.ok(message.replace(/\u200b/g, '').startsWith(named.input.text));
      });
    } finally {
      fake.restore();
    }
  });
});
