// The Members view and the profile panel in real VS Code against the repository's Zulip server
// (King Hamlet signed in to "Zulip Dev"): the tree's rows, the member commands and the clipboard,
// the panel's HTML, filter, the deactivated toggle, and a rename on the server reaching both the
// tree and the panel without a refresh.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ZulipTestApi } from '../../src/extension';
import type { Organization } from '../../src/model/organization';
import type { MemberTreeNode } from '../../src/views/memberTreeModel';
import { activateExtension, FakeWindow, readyOrganization, removeAllAccounts, signInDirectly, testServer, waitFor, type TestServer } from './helpers';

const IAGO = 11;
const CORDELIA = 8;
const PROSPERO = 12;
const OPHELIA = 15;
const IAGOS_BOT = 23;


/** Tells the repository's server to change a member, as an administrator would in Zulip. */
async function updateOnServer(server: TestServer, userId: number, change: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${server.site}/__control/update-user`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user_id: userId, change }),
  });
  assert.equal(response.status, 200, await response.text());
}

suite('Members view and profile panel', function () {
  this.timeout(60_000);
  let api: ZulipTestApi;
  let server: TestServer;
  let org: Organization;
  let fake: FakeWindow | undefined;

  suiteSetup(async () => {
    api = await activateExtension();
    await removeAllAccounts(api);
    server = testServer();
    ({ org } = await signInDirectly(api, server));
    await vscode.commands.executeCommand('workbench.view.extension.zulip');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('zulip.members.clearFilter');
    await vscode.commands.executeCommand('zulip.members.hideDeactivated');
    await removeAllAccounts(api);
  });

  teardown(() => {
    fake?.restore();
    fake = undefined;
  });

  const provider = () => api.members.provider;

  function item(node: MemberTreeNode): vscode.TreeItem {
    return provider().getTreeItem(node);
  }

  function label(node: MemberTreeNode): string {
    const l = item(node).label;
    return typeof l === 'string' ? l : (l?.label ?? '');
  }

  /** Every member row under a node, expanding groups and sub-groups. */
  function memberRows(node: MemberTreeNode): MemberTreeNode[] {
    return provider().getChildren(node).flatMap((child) => (child.type === 'member' ? [child] : memberRows(child)));
  }

  function orgNode(): MemberTreeNode {
    const roots = provider().getChildren();
    assert.equal(roots.length, 1);
    return roots[0];
  }

  test('after sign-in: the organization, its groups with counts, and every row labeled for screen readers', () => {
    const root = orgNode();
    assert.equal(label(root), 'Zulip Dev');
    assert.equal(item(root).collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.ok(item(root).accessibilityInformation?.label.startsWith('Zulip Dev, Zulip organization'));
    const groups = provider().getChildren(root);
    const labels = groups.map(label);
    for (const [kind, name] of [['owners', 'Owners'], ['administrators', 'Administrators'], ['moderators', 'Moderators'], ['members', 'Members'], ['guests', 'Guests'], ['bots', 'Bots']] as const) {
      const count = org.members.groupCount(kind);
      if (count > 0) assert.ok(labels.includes(`${name} (${count.toLocaleString()})`), `${labels.join(', ')} lacks ${name} (${count})`);
    }
    assert.ok(!labels.some((l) => l.startsWith('Deactivated')), 'Deactivated is hidden by default');
    for (const group of groups) {
      assert.ok(item(group).accessibilityInformation?.label, `group ${label(group)} has an accessibility label`);
      for (const row of memberRows(group)) assert.ok(item(row).accessibilityInformation?.label, `row ${label(row)} has an accessibility label`);
    }
  });

  test("a member row: name, pronouns, escaped tooltip card, accessibility label, context value, command", () => {
    const admins = provider().getChildren(orgNode()).find((g) => label(g).startsWith('Administrators'))!;
    const iago = memberRows(admins).find((n) => n.type === 'member' && n.userId === IAGO)!;
    const row = item(iago);
    assert.equal(row.label, 'Iago');
    // Iago's status (a custom emoji and text) comes first; the emoji is an image, so not in the label.
    assert.equal(row.description, 'Reviewing pull requests · he/him');
    const tooltip = row.tooltip as vscode.MarkdownString;
    assert.ok(tooltip instanceof vscode.MarkdownString);
    assert.ok(!tooltip.isTrusted && !tooltip.supportHtml);
    assert.match(tooltip.value, /^\*\*Iago\*\*/);
    assert.match(tooltip.value, /Administrator · he\\\/him/);
    assert.match(tooltip.value, /iago\\@zulip\\\.com/);
    assert.match(row.accessibilityInformation!.label, /^Iago, status emoji green_tick, Reviewing pull requests · he\/him, .*Administrator$/);
    assert.equal(row.contextValue, 'member.email');
    assert.deepEqual(row.command?.arguments, [{ accountId: org.id, userId: IAGO }]);
    assert.equal(row.command?.command, 'zulip.openProfile');

    const everyone = provider().getChildren(orgNode()).flatMap(memberRows);
    const prospero = everyone.find((n) => n.type === 'member' && n.userId === PROSPERO)!;
    assert.equal(item(prospero).contextValue, 'member', 'no Copy Email for a hidden address');
    const bot = everyone.find((n) => n.type === 'member' && n.userId === IAGOS_BOT)!;
    assert.equal(item(bot).description, 'Generic bot · owner Iago');
    assert.equal(item(bot).contextValue, 'member.email.bot');
  });

  test('Copy Mention and Copy Email put the right text on the clipboard; a hidden address is not copied', async () => {
    await vscode.commands.executeCommand('zulip.copyMention', { accountId: org.id, userId: IAGO });
    assert.equal(await vscode.env.clipboard.readText(), '@**Iago|11**');
    await vscode.commands.executeCommand('zulip.copyEmail', { accountId: org.id, userId: IAGO });
    assert.equal(await vscode.env.clipboard.readText(), 'iago@zulip.com');
    // The tree row itself is an accepted argument too.
    await vscode.commands.executeCommand('zulip.copyMention', api.members.provider.model.memberNode(org.id, 16));
    assert.equal(await vscode.env.clipboard.readText(), '@**Iago|16**');
    fake = new FakeWindow();
    await vscode.commands.executeCommand('zulip.copyEmail', { accountId: org.id, userId: PROSPERO });
    assert.equal(await vscode.env.clipboard.readText(), '@**Iago|16**', 'the clipboard is left alone');
    assert.match(fake.messagesOf('info').join('\n'), /not visible to you/);
  });

  test('Open Profile opens one panel with the right, escaped HTML under a strict CSP', async () => {
    await vscode.commands.executeCommand('zulip.openProfile', { accountId: org.id, userId: CORDELIA });
    const html = await waitFor('the profile page', () => api.profile.shown().html);
    assert.deepEqual(api.profile.shown().member, { accountId: org.id, userId: CORDELIA });
    assert.equal(api.profile.shown().panel?.title, "Cordelia, Lear's daughter");
    assert.match(html, /<h1 class="name">Cordelia, Lear&#39;s daughter<\/h1>/);
    assert.match(html, /<p class="pronouns">she\/her<\/p>/);
    assert.match(html, /<strong>King Lear<\/strong>/, 'the long text field is rendered Markdown');
    assert.match(html, /Content-Security-Policy" content="default-src &#39;none&#39;; img-src [^"]*; style-src [^"]*; script-src &#39;nonce-[A-Za-z0-9+/=]+&#39;/);
    assert.match(html, /<script nonce="[^"]+" src="[^"]*media\/profile\.js"><\/script>/);
    assert.doesNotMatch(html, /javascript:/);

    // Othello's link field holds javascript:alert(1): text, not a link.
    await vscode.commands.executeCommand('zulip.openProfile', { accountId: org.id, userId: 9 });
    const othello = await waitFor("Othello's profile", () => (api.profile.shown().body?.includes('Othello') ? api.profile.shown().body : undefined));
    assert.match(othello, /<dd>javascript:alert\(1\)<\/dd>/);
    assert.match(othello, /<p>Figs &amp; dates &lt;served&gt; &quot;fresh&quot;<\/p>/, 'rendered text stays escaped');
    const profileTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
    await waitFor('one profile tab, reused', () => profileTabs().length === 1 && profileTabs()[0].label.startsWith('Othello'));
  });

  test('a rename on the server reaches the tree row and the open panel without a refresh', async () => {
    await vscode.commands.executeCommand('zulip.openProfile', { accountId: org.id, userId: CORDELIA });
    await waitFor('the profile page', () => api.profile.shown().body?.includes('Cordelia'));
    const node = api.members.provider.model.memberNode(org.id, CORDELIA);
    const refreshed: unknown[] = [];
    const sub = api.members.provider.onDidChangeTreeData((e) => refreshed.push(e));
    try {
      await updateOnServer(server, CORDELIA, { full_name: 'Queen Cordelia' });
      await waitFor('the tree row to show the new name', () => label(node) === 'Queen Cordelia');
      await waitFor('the panel to show the new name', () => api.profile.shown().body?.includes('<h1 class="name">Queen Cordelia</h1>'));
      assert.equal(api.profile.shown().panel?.title, 'Queen Cordelia');
      await waitFor('a tree refresh', () => refreshed.length > 0);
      assert.ok(!refreshed.includes(undefined), 'only the affected group was refreshed, not the whole tree');
      // A non-structural change refreshes just that row.
      refreshed.length = 0;
      await updateOnServer(server, CORDELIA, { timezone: 'Asia/Tokyo' });
      await waitFor('the row refresh', () => refreshed.some((e) => Array.isArray(e) && e.includes(node)));
      await waitFor('the panel local time zone', () => api.profile.shown().body?.includes('Asia/Tokyo'));
    } finally {
      sub.dispose();
      await updateOnServer(server, CORDELIA, { full_name: "Cordelia, Lear's daughter" });
    }
  });

  test('filter by name or email as you type; clearing restores', async () => {
    const before = provider().getChildren(orgNode()).map(label);
    await vscode.commands.executeCommand('zulip.members.filter', 'iago');
    const shown = provider().getChildren(orgNode()).flatMap(memberRows);
    const ids = shown.map((n) => (n.type === 'member' ? n.userId : 0)).sort((a, b) => a - b);
    assert.deepEqual(ids, [IAGO, 16, IAGOS_BOT]);
    assert.match(api.members.treeView.message ?? '', /iago/);
    await vscode.commands.executeCommand('zulip.members.filter', 'nobody-has-this-name');
    assert.deepEqual(provider().getChildren(orgNode()).map(label), ['No members match “nobody-has-this-name”']);
    await vscode.commands.executeCommand('zulip.members.clearFilter');
    assert.deepEqual(provider().getChildren(orgNode()).map(label), before);
    assert.equal(api.members.treeView.message, undefined);
  });

  test('while filtering, the groups holding the matches open by themselves; clearing gives back the rows as they were', async () => {
    // What the workbench asks for: it asks an expanded row's children to show them.
    const asked: MemberTreeNode[] = [];
    const real = provider();
    const getChildren = real.getChildren.bind(real);
    real.getChildren = (node?: MemberTreeNode) => {
      if (node) asked.push(node);
      return getChildren(node);
    };
    try {
      const groups = () => provider().getChildren(orgNode()).filter((g) => g.type === 'group');
      const closedIds = new Map(groups().map((g) => [g.key, item(g).id]));
      assert.ok(groups().every((g) => item(g).collapsibleState === vscode.TreeItemCollapsibleState.Collapsed));
      await vscode.commands.executeCommand('zulip.members.filter', 'iago');
      const matching = groups();
      assert.ok(matching.length > 0);
      for (const g of matching) {
        assert.equal(item(g).collapsibleState, vscode.TreeItemCollapsibleState.Expanded, `${label(g)} opens`);
        assert.notEqual(item(g).id, closedIds.get(g.key), 'a new id, so VS Code takes the new state');
      }
      // What VS Code did with it: the workbench opened the rows and asked for their members.
      await waitFor('the workbench to open the matching groups', () => matching.every((g) => asked.includes(g)));
      await vscode.commands.executeCommand('zulip.members.clearFilter');
      for (const g of groups()) {
        assert.equal(item(g).id, closedIds.get(g.key));
        assert.equal(item(g).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
      }
    } finally {
      real.getChildren = getChildren;
      await vscode.commands.executeCommand('zulip.members.clearFilter');
    }
  });

  test('the deactivated toggle shows and hides the Deactivated group', async () => {
    await vscode.commands.executeCommand('zulip.members.showDeactivated');
    const groups = provider().getChildren(orgNode());
    const deactivated = groups.find((g) => label(g).startsWith('Deactivated'));
    assert.ok(deactivated, groups.map(label).join(', '));
    const ids = memberRows(deactivated).map((n) => (n.type === 'member' ? n.userId : 0));
    assert.ok(ids.includes(OPHELIA));
    assert.equal(item(memberRows(deactivated).find((n) => n.type === 'member' && n.userId === OPHELIA)!).contextValue, 'member.email.deactivated');
    await vscode.commands.executeCommand('zulip.members.hideDeactivated');
    assert.ok(!provider().getChildren(orgNode()).some((g) => label(g).startsWith('Deactivated')));
  });

  test('Open Profile to the Side opens beside the active editor; a bot shows its owner as a link', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const document = await vscode.workspace.openTextDocument({ content: 'notes', language: 'markdown' });
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('zulip.openProfileToSide', { accountId: org.id, userId: IAGOS_BOT });
    const body = await waitFor("the bot's profile", () => (api.profile.shown().body?.includes("Iago&#39;s Bot") ? api.profile.shown().body : undefined));
    assert.match(body, /data-command="openProfile" data-user-id="11">Iago<\/button>/);
    await waitFor('the panel beside the editor', () => api.profile.shown().panel?.viewColumn === vscode.ViewColumn.Two);
    // Asked again from the editor's group: the panel is reused where it is, beside it.
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('zulip.openProfileToSide', { accountId: org.id, userId: IAGO });
    await waitFor("Iago's profile", () => api.profile.shown().member?.userId === IAGO);
    await waitFor('the panel still beside the editor', () => api.profile.shown().panel?.viewColumn === vscode.ViewColumn.Two);
  });

  async function fault(body: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${server.site}/__control/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(response.status, 200, await response.text());
  }

  async function clearFaults(): Promise<void> {
    await fetch(`${server.site}/__control/clear-faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  }

  test('a server that cannot be reached: the last good list stays, marked, with a Retry row; Retry recovers', async () => {
    await fault({ fault: { kind: 'status', status: 503 }, count: 3, path: '/users' });
    try {
      await vscode.commands.executeCommand('zulip.members.refresh');
      await waitFor('the stale state', () => org.state.kind === 'stale');
      const root = orgNode();
      assert.equal(item(root).description, 'offline — showing saved members');
      assert.equal(item(root).contextValue, 'org.stale');
      const children = provider().getChildren(root);
      assert.match(label(children[0]), /^Retry connecting to 127\.0\.0\.1:\d+$/);
      assert.equal(item(children[0]).command?.command, 'zulip.members.retry');
      assert.ok(children.slice(1).some((g) => label(g).startsWith('Members (')), 'the saved members are still shown');
    } finally {
      await clearFaults();
    }
    await vscode.commands.executeCommand('zulip.members.retry', { accountId: org.id });
    await waitFor('the ready state', () => org.state.kind === 'ready');
    assert.equal(item(orgNode()).description, '');
  });

  test('a refused key: one notification, a "Sign in again" row; signing in again brings the members back', async () => {
    fake = new FakeWindow();
    await fault({ fault: { kind: 'status', status: 401 }, count: 10, path: '/users' });
    try {
      await vscode.commands.executeCommand('zulip.members.refresh');
      await waitFor('the needsSignIn state', () => org.state.kind === 'needsSignIn');
      await waitFor('the notification', () => fake!.messagesOf('warning').length > 0);
      await vscode.commands.executeCommand('zulip.members.refresh');
      await new Promise((r) => setTimeout(r, 300));
      const host = new URL(server.site).host;
      assert.deepEqual(fake.messages.filter((m) => m.kind === 'warning'), [
        { kind: 'warning', message: `${host} no longer accepts the key for ${server.email}: Invalid API key.`, items: ['Sign In'], modal: false },
      ]);
      const root = orgNode();
      assert.equal(item(root).contextValue, 'org.needsSignIn');
      const first = provider().getChildren(root)[0];
      assert.equal(label(first), 'Sign in again');
      assert.equal(item(first).command?.command, 'zulip.members.signInAgain');
    } finally {
      await clearFaults();
    }
    const { account } = await signInDirectly(api, server);
    org = await readyOrganization(api, account.id, org);
    await waitFor('the tree to show the groups again', () => provider().getChildren(orgNode()).some((g) => label(g).startsWith('Members (')));
  });

  test('signing out with a filter on clears it: the view shows the sign-in buttons, not "Members whose name…"', async () => {
    await vscode.commands.executeCommand('zulip.members.filter', 'iago');
    assert.match(api.members.treeView.message ?? '', /iago/);
    await removeAllAccounts(api);
    await waitFor('the filter to clear', () => provider().model.filter === '' && api.members.treeView.message === undefined);
    assert.deepEqual(provider().getChildren(), []);
    const { account } = await signInDirectly(api, server);
    org = await readyOrganization(api, account.id);
    assert.ok(provider().getChildren(orgNode()).some((g) => label(g).startsWith('Members (')), 'signed in again, unfiltered');
  });
});
