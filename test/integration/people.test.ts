// User status and presence in real VS Code against the repository's Zulip server: Set Status and
// Clear Status round-trip through POST /users/me/status and come back by the user_status event to
// the organization and the signed-in member's row; a refused status says why and changes nothing;
// another member's status and a user group change arrive live; an existing group renamed and given
// a member follows in the Groups view and its hover; a role change moves the member between system
// groups; a custom emoji status shows as its image, and the profile lists the member's groups;
// presence sharing is off by default, and once turned on the window reports the user active.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ZulipTestApi } from '../../src/extension';
import type { Organization } from '../../src/model/organization';
import { control, NotificationSpy, requestLog } from './serverControl';
import { activateExtension, removeAllAccounts, signInDirectly, testServer, waitFor, type TestServer } from './helpers';

const CORDELIA = 8;
const IAGO = 11;

suite('User status and groups', function () {
  this.timeout(60_000);
  let api: ZulipTestApi;
  let server: TestServer;
  let org: Organization;
  let fake: NotificationSpy | undefined;

  suiteSetup(async () => {
    api = await activateExtension();
    await removeAllAccounts(api);
    server = testServer();
    ({ org } = await signInDirectly(api, server));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('zulip.clearStatus', { accountId: org.id });
    await removeAllAccounts(api);
  });

  teardown(() => {
    fake?.restore();
    fake = undefined;
  });

  const me = () => org.account.userId;
  const labelOf = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : item.label?.label);
  const ownLabel = () => labelOf(api.members.provider.getTreeItem(api.members.provider.model.memberNode(org.id, me())));

  test('Set Status and Clear Status round-trip, and the row shows the emoji after the name', async () => {
    const set = await vscode.commands.executeCommand<boolean>('zulip.setStatus', { accountId: org.id, text: 'Working remotely', emojiName: 'house' });
    assert.equal(set, true);
    await waitFor('the user_status event', () => org.statuses.get(me())?.text === 'Working remotely' && org.statuses.get(me())?.emoji?.name === 'house');
    assert.equal(ownLabel(), `${org.members.get(me())!.full_name} 🏠`);
    const cleared = await vscode.commands.executeCommand<boolean>('zulip.clearStatus', { accountId: org.id });
    assert.equal(cleared, true);
    await waitFor('the cleared status', () => org.statuses.get(me()) === undefined);
    assert.equal(ownLabel(), org.members.get(me())!.full_name);
  });

  test('a status the server refuses says why and changes nothing', async () => {
    await vscode.commands.executeCommand('zulip.setStatus', { accountId: org.id, text: 'In a meeting', emojiName: 'calendar' });
    await waitFor('the first status', () => org.statuses.get(me())?.text === 'In a meeting');
    fake = new NotificationSpy(vscode.window);
    const refused = await vscode.commands.executeCommand<boolean>('zulip.setStatus', { accountId: org.id, text: 'Elsewhere', emojiName: 'no_such_emoji_here' });
    assert.equal(refused, false);
    const error = await waitFor('the error', () => fake!.of('error')[0]);
    assert.match(error.message, /could not set your status .*Emoji 'no_such_emoji_here' does not exist/);
    const tooLong = await vscode.commands.executeCommand<boolean>('zulip.setStatus', { accountId: org.id, text: 'x'.repeat(61) });
    assert.equal(tooLong, false);
    assert.ok(fake.of('error').some((m) => /61\/60/.test(m.message)), 'the limit is named');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(org.statuses.get(me())?.text, 'In a meeting', 'nothing changed');
  });

  test("another member's status and a group change arrive live", async () => {
    await control(server, 'set-status', { user_id: CORDELIA, status_text: 'Out <b>sick</b>', emoji_name: 'sick' });
    await waitFor("Cordelia's status", () => org.statuses.get(CORDELIA)?.text === 'Out <b>sick</b>');
    const item = api.members.provider.getTreeItem(api.members.provider.model.memberNode(org.id, CORDELIA));
    assert.ok(labelOf(item)?.endsWith(' 🤒'), labelOf(item));
    assert.match(String(item.description), /^Out <b>sick<\/b>/);
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    assert.ok(tooltip.includes('🤒 Out \\<b\\>sick\\<\\/b\\>'), tooltip);
    const created = await control(server, 'create-group', { name: 'people-live', description: 'Live', members: [IAGO] });
    const groupId = created.group_id as number;
    await waitFor('the new group', () => org.groupStore.get(groupId));
    await control(server, 'group-members', { group_id: groupId, add: [CORDELIA] });
    await waitFor('the added member', () => org.groupStore.get(groupId)?.members.includes(CORDELIA));
    assert.ok((await org.userGroups()).some((g) => g.id === groupId && g.members.includes(CORDELIA)));
    // The Groups view follows: the new group is a root with both members, by name.
    const groupsTree = api.groups;
    const node = await waitFor('the group in the Groups view', () => groupsTree.getChildren().find((n) => n.type === 'group' && n.groupId === groupId));
    assert.equal(groupsTree.getTreeItem(node).description, '2 members');
    const names = groupsTree.getChildren(node).map((n) => labelOf(groupsTree.getTreeItem(n)));
    assert.deepEqual(names, [org.members.get(CORDELIA)!.full_name + ' 🤒', org.members.get(IAGO)!.full_name]);
    // A group mention's card lists them too, with presence.
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '@*people-live*' });
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(0, 2));
    const card = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value)).join('\n');
    assert.match(card, /2 members/);
    assert.ok(card.includes('Cordelia'), card);
    await control(server, 'set-status', { user_id: CORDELIA, status_text: '', emoji_name: '' });
  });

  test('a user_group update of an existing group (renamed, described anew, a member added): the Groups view and its hover follow', async () => {
    const created = await control(server, 'create-group', { name: 'people-update', description: 'Before', members: [IAGO] });
    const groupId = created.group_id as number;
    const groupsTree = api.groups;
    const rowOf = () => groupsTree.getChildren().find((n) => n.type === 'group' && n.groupId === groupId);
    const node = await waitFor('the group row', rowOf);
    assert.equal(labelOf(groupsTree.getTreeItem(node)), 'people-update');
    await control(server, 'update-group', { group_id: groupId, name: 'people-renamed', description: 'After <i>the</i> [rename](command:zulip.signOut)' });
    await control(server, 'group-members', { group_id: groupId, add: [CORDELIA] });
    await waitFor('the update and add_members events', () => org.groupStore.get(groupId)?.name === 'people-renamed' && org.groupStore.get(groupId)?.members.includes(CORDELIA));
    const renamed = await waitFor('the renamed row', () => {
      const row = rowOf();
      return row && labelOf(groupsTree.getTreeItem(row)) === 'people-renamed' ? row : undefined;
    });
    const item = groupsTree.getTreeItem(renamed);
    assert.equal(item.description, '2 members');
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /^\*\*people\\-renamed\*\*/);
    assert.ok(tooltip.includes('rename'), tooltip);
    assert.doesNotMatch(tooltip, /\]\(command:|<i>/, 'the description is text, not a link or HTML');
    const byName = [CORDELIA, IAGO].sort((a, b) => org.members.get(a)!.full_name.localeCompare(org.members.get(b)!.full_name));
    assert.deepEqual(
      groupsTree.getChildren(renamed).map((n) => n.type === 'member' && n.userId),
      byName,
    );
    // The hover of a mention by the new name: the new description and both members; the old name is nobody now.
    const hoverText = async (content: string) => {
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(0, 2));
      return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value)).join('\n');
    };
    const card = await hoverText('@*people-renamed*');
    assert.match(card, /2 members/);
    assert.ok(card.includes('After \\<i\\>the\\<'), card);
    assert.doesNotMatch(card, /\]\(command:zulip\.signOut/);
    const oldName = await hoverText('@*people-update*');
    assert.ok(oldName.includes('No user group of') && oldName.includes('people\\-update'), oldName);
    await control(server, 'remove-group', { group_id: groupId });
  });

  test('a role change moves the member between system groups in the Groups view, by the user_group events', async () => {
    const moderators = org.groupStore.all().find((g) => g.name === 'role:moderators')!;
    const fullMembers = org.groupStore.all().find((g) => g.name === 'role:fullmembers')!;
    assert.ok(!moderators.members.includes(CORDELIA));
    await control(server, 'update-user', { user_id: CORDELIA, change: { role: 300 } });
    await waitFor('the system group events', () => org.groupStore.get(moderators.id)?.members.includes(CORDELIA) && !org.groupStore.get(fullMembers.id)?.members.includes(CORDELIA));
    const groupsTree = api.groups;
    const row = groupsTree.getChildren().find((n) => n.type === 'group' && n.groupId === moderators.id)!;
    assert.equal(labelOf(groupsTree.getTreeItem(row)), 'Moderators');
    assert.ok(groupsTree.getChildren(row).some((n) => n.type === 'member' && n.userId === CORDELIA));
    await control(server, 'update-user', { user_id: CORDELIA, change: { role: 400 } });
    await waitFor('back among full members', () => org.groupStore.get(fullMembers.id)?.members.includes(CORDELIA) && !org.groupStore.get(moderators.id)?.members.includes(CORDELIA));
  });

  test('presence sharing is off by default; with zulip.presence.shareMine on, the focused window reports the user active', async () => {
    const zulip = vscode.workspace.getConfiguration('zulip');
    const reports = async () => (await requestLog(server)).filter((r) => r.method === 'POST' && r.path === '/api/v1/users/me/presence').length;
    const before = await reports();
    assert.equal(before, 0, 'off by default: this window never reported presence');
    assert.equal(vscode.window.state.focused, true, 'the test window has the focus');
    try {
      await zulip.update('presence.shareMine', true, vscode.ConfigurationTarget.Global);
      await waitFor('a presence report', async () => (await reports()) > before || undefined);
    } finally {
      await zulip.update('presence.shareMine', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test("a custom emoji status is drawn as its image in the hover card once cached, and the profile lists the member's groups", async () => {
    // Iago's seeded status carries the custom emoji green_tick.
    assert.equal(org.statuses.get(IAGO)?.emoji?.type, 'realm_emoji');
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '@**Iago|11**' });
    let last = '';
    const card = await waitFor(
      'the emoji image in the card',
      async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(0, 3));
        const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value)).join('\n');
        last = text;
        return /!\[\\:green\\_tick\\:\]\(file:/.test(text) ? text : undefined;
      },
      20_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the card read: ${last}`);
    });
    assert.ok(card.includes('Reviewing pull requests'), card);
    await vscode.commands.executeCommand('zulip.openProfile', { accountId: org.id, userId: IAGO });
    const body = await waitFor('the profile with groups', () => {
      const shown = api.profile.shown().body;
      return shown?.includes(`data-user-id="${IAGO}"`) && shown.includes('member-groups') ? shown : undefined;
    });
    assert.match(body, /<img class="status-emoji" src="http:\/\/[^"]+\/user_avatars\/\d+\/emoji\/images\/\d+\.png"/);
    assert.match(body, /<li class="group system-group">Administrators<\/li>/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
