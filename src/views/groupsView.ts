// The Groups view beside Members: each organization's user groups (groupTreeModel.ts), live
// through user_group events, with direct members (status emoji, presence words) and subgroups to
// expand. Group names and descriptions are server text: labels are plain, tooltips escaped.
import * as vscode from 'vscode';
import { displayLanguage } from '../platform/displayLanguage';
import type { Organization } from '../model/organization';
import type { Organizations } from '../model/organizations';
import { escapeMarkdown } from '../text/markdownText';
import type { Disposable } from '../common/emitter';
import { groupChildren, groupRowDescription, groupRowLabel, sortGroups } from './groupTreeModel';
import { memberLabel } from './memberRowText';
import { memberIcon, openProfileCommand } from './memberTreeItems';
import { lastActiveTextOf } from '../model/lastActive';
import { isDeleted, unknownUserName } from '../model/memberInfo';

export const GROUPS_VIEW_ID = 'zulip.groups';

export type GroupNode =
  | { type: 'org'; accountId: string }
  | { type: 'group'; accountId: string; groupId: number; key: string }
  | { type: 'member'; accountId: string; userId: number; key: string }
  | { type: 'message'; text: string };

export class GroupsProvider implements vscode.TreeDataProvider<GroupNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<GroupNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private showDeactivated = false;
  private readonly subscriptions = new Map<string, Disposable[]>();
  private readonly orgSubscription: Disposable;

  constructor(private readonly organizations: Organizations) {
    this.orgSubscription = organizations.onDidChange(() => this.sync());
    this.sync();
  }

  setShowDeactivated(show: boolean): void {
    this.showDeactivated = show;
    this.changed.fire(undefined);
  }

  private sync(): void {
    const current = new Map(this.organizations.list().map((o) => [o.id, o]));
    for (const [id, subs] of this.subscriptions) {
      if (!current.has(id)) {
        for (const s of subs) s.dispose();
        this.subscriptions.delete(id);
      }
    }
    for (const [id, org] of current) {
      if (this.subscriptions.has(id)) continue;
      this.subscriptions.set(id, [
        org.groupStore.onDidChange(() => this.changed.fire(undefined)),
        org.onDidChangeMembers(() => this.changed.fire(undefined)),
      ]);
    }
    this.changed.fire(undefined);
  }

  getChildren(node?: GroupNode): GroupNode[] {
    const orgs = this.organizations.list();
    if (!node) {
      if (orgs.length === 1) return this.groupRoots(orgs[0]);
      return orgs.map((o) => ({ type: 'org', accountId: o.id }));
    }
    const org = 'accountId' in node ? this.organizations.get(node.accountId) : undefined;
    if (!org) return [];
    if (node.type === 'org') return this.groupRoots(org);
    if (node.type !== 'group') return [];
    const group = org.groupStore.get(node.groupId);
    if (!group) return [];
    const { members, unknown, subgroups } = groupChildren(group, (id) => org.members.get(id), org.groupStore.all(), this.showDeactivated, org.members.size > 0);
    return [
      ...members.map<GroupNode>((u) => ({ type: 'member', accountId: org.id, userId: u.user_id, key: `${node.key}/u${u.user_id}` })),
      ...unknown.map<GroupNode>((id) => ({ type: 'member', accountId: org.id, userId: id, key: `${node.key}/u${id}` })),
      ...subgroups.map<GroupNode>((g) => ({ type: 'group', accountId: org.id, groupId: g.id, key: `${node.key}/g${g.id}` })),
    ];
  }

  private groupRoots(org: Organization): GroupNode[] {
    if (!org.groupStore.isLoaded) return [{ type: 'message', text: org.state.kind === 'loading' ? vscode.l10n.t('Loading…') : vscode.l10n.t('This server sent no user groups.') }];
    return sortGroups(org.groupStore.all(), this.showDeactivated).map((g) => ({ type: 'group', accountId: org.id, groupId: g.id, key: `${org.id}/g${g.id}` }));
  }

  getTreeItem(node: GroupNode): vscode.TreeItem {
    if (node.type === 'message') return new vscode.TreeItem(node.text);
    const org = this.organizations.get(node.accountId);
    if (!org) return new vscode.TreeItem(vscode.l10n.t('(signed out)'));
    if (node.type === 'org') {
      const item = new vscode.TreeItem(org.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `org:${org.id}`;
      return item;
    }
    if (node.type === 'group') {
      const group = org.groupStore.get(node.groupId);
      if (!group) return new vscode.TreeItem(vscode.l10n.t('(no longer a group)'));
      const item = new vscode.TreeItem(groupRowLabel(group), vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.key;
      item.description = groupRowDescription(group, org.groupStore.all(), displayLanguage());
      const tooltip = new vscode.MarkdownString([`**${escapeMarkdown(groupRowLabel(group))}**`, escapeMarkdown(group.description ?? '')].filter(Boolean).join('  \n'));
      tooltip.isTrusted = false;
      tooltip.supportHtml = false;
      item.tooltip = tooltip;
      item.iconPath = new vscode.ThemeIcon(group.is_system_group ? 'shield' : 'organization');
      item.contextValue = group.is_system_group ? 'group.system' : 'group';
      return item;
    }
    const user = org.members.get(node.userId);
    if (!user) {
      // A member the list lacks: someone a restricted guest may not see, named as Zulip names them.
      const unknown = new vscode.TreeItem(unknownUserName(), vscode.TreeItemCollapsibleState.None);
      unknown.id = node.key;
      unknown.description = vscode.l10n.t('user id {0}', node.userId);
      unknown.tooltip = vscode.l10n.t('Zulip shows members you may not see as "{0}".', unknownUserName());
      unknown.iconPath = new vscode.ThemeIcon('question');
      return unknown;
    }
    const status = org.statuses.get(user.user_id);
    const item = new vscode.TreeItem(memberLabel(user, { status }), vscode.TreeItemCollapsibleState.None);
    item.id = node.key;
    item.description = lastActiveTextOf(org.presence, user, displayLanguage()) ?? '';
    item.iconPath = memberIcon(user);
    if (isDeleted(user)) item.description = vscode.l10n.t('Deleted user');
    item.command = openProfileCommand(org, user);
    return item;
  }

  dispose(): void {
    this.orgSubscription.dispose();
    for (const subs of this.subscriptions.values()) for (const s of subs) s.dispose();
    this.changed.dispose();
  }
}
