// Turns the Members tree's nodes into VS Code TreeItems, one row at a time, when VS Code asks.
// Words come from memberRowText.ts; this file adds icons, commands and VS Code's types.
import * as vscode from 'vscode';
import { displayLanguage } from '../platform/displayLanguage';
import { avatarUrl, isDeleted } from '../model/memberInfo';
import type { MemberRef } from '../model/memberRef';
import { lastActiveTextOf } from '../model/lastActive';
import type { Organization } from '../model/organization';
import type { User } from '../zulip/types';
import { expandWhileFiltering, rowId, type MemberTreeModel, type MemberTreeNode } from './memberTreeModel';
import {
  bucketAccessibilityLabel,
  bucketRowLabel,
  groupAccessibilityLabel,
  groupLabel,
  memberAccessibilityLabel,
  memberContextValue,
  memberDescription,
  memberLabel,
  memberTooltip,
  ambiguousOrgRows,
  orgAccessibilityLabel,
  orgRowDescription,
  orgTooltip,
  statusLabel,
  type DescriptionMode,
  type RowContext,
} from './memberRowText';

export const MEMBER_URI_SCHEME = 'zulip-member';

/** The resourceUri of a member row: what the presence decorations are keyed on. */
export function memberResourceUri(accountId: string, userId: number): vscode.Uri {
  return vscode.Uri.from({ scheme: MEMBER_URI_SCHEME, path: `/${encodeURIComponent(accountId)}/${userId}` });
}

export function parseMemberResourceUri(uri: vscode.Uri): MemberRef | undefined {
  if (uri.scheme !== MEMBER_URI_SCHEME) return undefined;
  const match = /^\/([^/]+)\/(\d+)$/.exec(uri.path);
  if (!match) return undefined;
  try {
    return { accountId: decodeURIComponent(match[1]), userId: Number(match[2]) };
  } catch {
    return undefined;
  }
}

export interface ItemEnvironment {
  model: MemberTreeModel;
  organization(accountId: string): Organization | undefined;
  /** Every organization shown, to tell rows of the same name apart. */
  organizations(): readonly { id: string; name: string }[];
  descriptionMode(): DescriptionMode;
  /** A cached image file for a URL, or undefined (and the row is refreshed when it arrives). */
  image(url: string, node: MemberTreeNode): vscode.Uri | undefined;
}

function markdown(text: string): vscode.MarkdownString {
  // Neither trusted nor HTML: the text was escaped, and stays inert even if it were not.
  const md = new vscode.MarkdownString(text, false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

export function rowContext(org: Organization, mode: DescriptionMode, presence: RowContext['presence'], user?: User): RowContext {
  return {
    site: org.account.site,
    member: (id) => org.members.get(id),
    profileFields: org.profileFields,
    presence,
    lastActive: user ? lastActiveTextOf(org.presence, user, displayLanguage()) : undefined,
    status: user ? org.statuses.get(user.user_id) : undefined,
    mode,
    locale: displayLanguage(),
  };
}

/** The realm's icon URL, resolved against the site. */
export function realmIconUrl(org: Organization): string | undefined {
  const icon = org.settings?.realm_icon ?? org.account.realmIcon;
  if (!icon) return undefined;
  try {
    return new URL(icon, org.account.site + '/').href;
  } catch {
    return undefined;
  }
}

/** Groups and sub-groups holding a few filter matches open by themselves. */
/** The icon of a member's row when no avatar is shown: a bot, a member, or a deactivated account. */
export function memberIcon(user: User): vscode.ThemeIcon {
  return new vscode.ThemeIcon(user.is_bot ? 'robot' : user.is_active ? 'account' : 'circle-slash');
}

/** What a click on a member's row runs: their profile; a deleted account offers nothing to open. */
export function openProfileCommand(org: Organization, user: User): vscode.Command | undefined {
  if (isDeleted(user)) return undefined;
  return { command: 'zulip.openProfile', title: vscode.l10n.t('Open Profile'), arguments: [{ accountId: org.id, userId: user.user_id }] };
}

function collapsibleState(filter: string, count: number): vscode.TreeItemCollapsibleState {
  return expandWhileFiltering(filter, count) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
}

export function buildTreeItem(node: MemberTreeNode, env: ItemEnvironment): vscode.TreeItem {
  const org = env.organization(node.accountId);
  if (!org) {
    const item = new vscode.TreeItem(vscode.l10n.t('Signed out'), vscode.TreeItemCollapsibleState.None);
    item.accessibilityInformation = { label: vscode.l10n.t('Signed out organization') };
    return item;
  }
  switch (node.type) {
    case 'org': {
      const item = new vscode.TreeItem(org.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.key;
      const shared = ambiguousOrgRows(env.organizations()).has(org.id);
      item.description = orgRowDescription(org.state, org.account.email, shared);
      item.tooltip = markdown(orgTooltip(org.name, org.account.site, org.account.email, org.state, displayLanguage()));
      item.accessibilityInformation = { label: orgAccessibilityLabel(org.name, org.state, shared ? org.account.email : undefined) };
      item.contextValue = `org.${org.state.kind}`;
      const iconUrl = realmIconUrl(org);
      const icon = iconUrl ? env.image(iconUrl, node) : undefined;
      item.iconPath = icon ?? new vscode.ThemeIcon(org.state.kind === 'ready' ? 'organization' : org.state.kind === 'loading' ? 'loading~spin' : 'warning');
      return item;
    }
    case 'group': {
      const count = env.model.groupCount(org, node.group);
      const item = new vscode.TreeItem(groupLabel(node.group, count, displayLanguage()), collapsibleState(env.model.filter, count));
      item.id = rowId(node.key, env.model.filter);
      item.accessibilityInformation = { label: groupAccessibilityLabel(node.group, count, displayLanguage()) };
      item.contextValue = `group.${node.group}`;
      return item;
    }
    case 'bucket': {
      const bucket = env.model.bucket(org, node.group, node.prefix);
      const count = bucket?.members.length ?? 0;
      const label = bucket?.label ?? node.prefix;
      const item = new vscode.TreeItem(bucketRowLabel(label, count, displayLanguage()), collapsibleState(env.model.filter, count));
      item.id = rowId(node.key, env.model.filter);
      item.accessibilityInformation = { label: bucketAccessibilityLabel(node.group, label, count, displayLanguage()) };
      item.contextValue = 'bucket';
      return item;
    }
    case 'member': {
      const user = org.members.get(node.userId);
      if (!user) {
        const item = new vscode.TreeItem(vscode.l10n.t('(no longer a member)'), vscode.TreeItemCollapsibleState.None);
        item.accessibilityInformation = { label: vscode.l10n.t('No longer a member') };
        return item;
      }
      const ctx = rowContext(org, env.descriptionMode(), org.presence.stateOf(user), user);
      const item = new vscode.TreeItem(memberLabel(user, ctx), vscode.TreeItemCollapsibleState.None);
      item.id = node.key;
      item.description = memberDescription(user, ctx);
      item.tooltip = markdown(memberTooltip(user, ctx));
      item.accessibilityInformation = { label: memberAccessibilityLabel(user, ctx) };
      item.contextValue = memberContextValue(user);
      item.resourceUri = memberResourceUri(org.id, user.user_id);
      item.iconPath = env.image(avatarUrl(user, org.account.site), node) ?? memberIcon(user);
      item.command = openProfileCommand(org, user);
      return item;
    }
    case 'status': {
      const label = statusLabel(node.status, org.account.site, org.state, env.model.filter);
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
      item.id = node.key;
      item.accessibilityInformation = { label };
      item.contextValue = `status.${node.status}`;
      switch (node.status) {
        case 'loading':
          item.iconPath = new vscode.ThemeIcon('loading~spin');
          break;
        case 'offline':
          item.iconPath = new vscode.ThemeIcon('warning');
          if (org.state.kind === 'offline') item.tooltip = org.state.reason;
          break;
        case 'retry':
          item.iconPath = new vscode.ThemeIcon('refresh');
          item.command = { command: 'zulip.members.retry', title: vscode.l10n.t('Retry'), arguments: [{ accountId: org.id }] };
          if (org.state.kind === 'stale') item.tooltip = vscode.l10n.t('Showing saved members. {0}', org.state.reason);
          break;
        case 'signIn':
          item.iconPath = new vscode.ThemeIcon('sign-in');
          item.command = { command: 'zulip.members.signInAgain', title: vscode.l10n.t('Sign In Again'), arguments: [{ accountId: org.id }] };
          item.tooltip = org.state.kind === 'needsSignIn' ? org.state.reason : undefined;
          break;
        case 'noMatches':
          item.iconPath = new vscode.ThemeIcon('search');
          break;
      }
      return item;
    }
  }
}
