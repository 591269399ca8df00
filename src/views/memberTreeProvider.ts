// The Members view's data provider: answers VS Code from MemberTreeModel and refreshes only what
// an organization's change touched (a row, a group, or an organization), batched per tick.
import * as vscode from 'vscode';
import { Delayer } from '../common/delayer';
import { GROUP_ORDER, type MembersChange } from '../model/memberIndex';
import type { Organization } from '../model/organization';
import type { Organizations } from '../model/organizations';
import type { AvatarCache } from '../model/avatarCache';
import { buildTreeItem, type ItemEnvironment } from './memberTreeItems';
import { MemberTreeModel, type MemberTreeNode } from './memberTreeModel';
import type { DescriptionMode } from './memberRowText';

/** How long row refreshes gather before VS Code is told (event bursts). */
const REFRESH_BATCH_MS = 50;
/**
 * Avatars arrive in bursts when a group opens; each refresh re-renders rows, and a row
 * re-rendered under the pointer can swallow a click: gather arrivals a little longer.
 */
const IMAGE_BATCH_MS = 300;

interface Watched {
  org: Organization;
  subscriptions: { dispose(): void }[];
  /** Groups shown under the organization at the last look, to tell when one appears or vanishes. */
  visibleGroups?: string;
}

/** Beyond this many changed statuses, refreshing the organization is cheaper than row by row. */
const STATUS_ROWS_REFRESHED_ONE_BY_ONE = 50;

export class MemberTreeProvider implements vscode.TreeDataProvider<MemberTreeNode>, vscode.Disposable {
  readonly model: MemberTreeModel;
  private readonly changed = new vscode.EventEmitter<MemberTreeNode | MemberTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly watched = new Map<string, Watched>();
  /** Image URL → rows waiting for it. */
  private readonly waitingForImage = new Map<string, Set<MemberTreeNode>>();
  private readonly pending = new Set<MemberTreeNode>();
  private pendingAll = false;
  private readonly refreshBatch = new Delayer(() => this.flush(), REFRESH_BATCH_MS);
  private readonly arrivedImages = new Set<MemberTreeNode>();
  private readonly imageBatch = new Delayer(() => {
    for (const node of this.arrivedImages) this.pending.add(node);
    this.arrivedImages.clear();
    this.refreshBatch.schedule();
  }, IMAGE_BATCH_MS);
  private readonly disposables: vscode.Disposable[] = [];
  private readonly env: ItemEnvironment;

  constructor(
    private readonly organizations: Organizations,
    private readonly avatars: AvatarCache,
  ) {
    this.model = new MemberTreeModel(() => organizations.list());
    this.env = {
      model: this.model,
      organization: (id) => organizations.get(id),
      organizations: () => organizations.list(),
      descriptionMode: () => vscode.workspace.getConfiguration('zulip.members').get<DescriptionMode>('description', 'pronouns'),
      image: (url, node) => this.image(url, node),
    };
    this.disposables.push(
      { dispose: organizations.onDidChange(() => this.syncOrganizations()).dispose },
      { dispose: avatars.onDidLoad((url) => this.imageArrived(url)).dispose },
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('zulip.members.description')) this.refreshAll();
      }),
    );
    this.syncOrganizations();
  }

  // ---- TreeDataProvider ----

  getTreeItem(node: MemberTreeNode): vscode.TreeItem {
    return buildTreeItem(node, this.env);
  }

  getChildren(node?: MemberTreeNode): MemberTreeNode[] {
    const children = this.model.children(node);
    if (node?.type === 'org') {
      const watched = this.watched.get(node.accountId);
      const org = this.organizations.get(node.accountId);
      if (watched && org) watched.visibleGroups = this.model.visibleGroups(org).join();
    }
    return children;
  }

  getParent(node: MemberTreeNode): MemberTreeNode | undefined {
    return this.model.parent(node);
  }

  // ---- What the view's actions change ----

  setFilter(filter: string): void {
    if (filter.trim() === this.model.filter) return;
    this.model.filter = filter;
    this.refreshAll();
  }

  setShowDeactivated(show: boolean): void {
    if (this.model.showDeactivated === show) return;
    this.model.showDeactivated = show;
    for (const id of this.watched.keys()) this.refresh(this.model.orgNode(id));
  }

  /** Everything under every organization (settings, filter, the minute of a local-time description). */
  refreshAll(): void {
    this.pendingAll = true;
    this.refreshBatch.schedule();
  }

  refreshOrganization(accountId: string): void {
    this.refresh(this.model.orgNode(accountId));
  }

  // ---- Following the organizations ----

  private syncOrganizations(): void {
    const current = new Map(this.organizations.list().map((o) => [o.id, o]));
    let changed = false;
    for (const [id, watched] of this.watched) {
      if (current.get(id) !== watched.org) {
        for (const s of watched.subscriptions) s.dispose();
        this.watched.delete(id);
        if (!current.has(id)) this.model.forget(id);
        changed = true;
      }
    }
    for (const [id, org] of current) {
      if (this.watched.has(id)) continue;
      this.watched.set(id, {
        org,
        subscriptions: [
          org.onDidChangeMembers((change) => this.membersChanged(org, change)),
          org.onDidChangeState(() => this.refresh(this.model.orgNode(id))),
          org.onDidChangeProfileFields(() => this.refresh(this.model.orgNode(id))),
          // Tooltips and screen-reader labels name presence (the dot itself is a decoration).
          org.presence.onDidChange(() => this.refresh(this.model.orgNode(id))),
          org.statuses.onDidChange((ids) => this.statusesChanged(org, ids)),
        ],
      });
      changed = true;
    }
    if (changed) this.refreshAll();
  }

  /** A status shows in its member's row only; many at once (a registration) refresh the organization. */
  private statusesChanged(org: Organization, ids: readonly number[]): void {
    if (ids.length > STATUS_ROWS_REFRESHED_ONE_BY_ONE) {
      this.refresh(this.model.orgNode(org.id));
      return;
    }
    for (const id of ids) {
      const node = this.model.existingMemberNode(org.id, id);
      if (node) this.refresh(node);
    }
  }

  private membersChanged(org: Organization, change: MembersChange): void {
    const orgNode = this.model.orgNode(org.id);
    if (change.reset || (change.structural && this.model.filter)) {
      this.refresh(orgNode);
      return;
    }
    if (!change.structural) {
      for (const id of change.userIds) {
        const node = this.model.existingMemberNode(org.id, id);
        if (node) this.refresh(node);
      }
      return;
    }
    // A group appeared or vanished: the organization's list of groups changes.
    const watched = this.watched.get(org.id);
    const visible = this.model.visibleGroups(org).join();
    if (watched && watched.visibleGroups !== undefined && watched.visibleGroups !== visible) {
      this.refresh(orgNode);
      return;
    }
    for (const group of change.groups ?? GROUP_ORDER) {
      this.refresh(this.model.groupNode(org.id, group));
    }
    // Bots show their owner's name.
    const ids = new Set(change.userIds);
    for (const bot of org.members.group('bots')) {
      if (bot.bot_owner_id !== null && ids.has(bot.bot_owner_id)) {
        const node = this.model.existingMemberNode(org.id, bot.user_id);
        if (node) this.refresh(node);
      }
    }
  }

  // ---- Images ----

  private image(url: string, node: MemberTreeNode): vscode.Uri | undefined {
    const file = this.avatars.get(url);
    if (file) return vscode.Uri.file(file);
    let waiting = this.waitingForImage.get(url);
    if (!waiting) this.waitingForImage.set(url, (waiting = new Set()));
    waiting.add(node);
    return undefined;
  }

  private imageArrived(url: string): void {
    const waiting = this.waitingForImage.get(url);
    if (!waiting) return;
    this.waitingForImage.delete(url);
    for (const node of waiting) this.arrivedImages.add(node);
    this.imageBatch.schedule();
  }

  // ---- Batching ----

  private refresh(node: MemberTreeNode): void {
    this.pending.add(node);
    this.refreshBatch.schedule();
  }

  private flush(): void {
    if (this.pendingAll) {
      this.pendingAll = false;
      this.pending.clear();
      this.changed.fire(undefined);
      return;
    }
    if (this.pending.size === 0) return;
    const nodes = [...this.pending];
    this.pending.clear();
    this.changed.fire(nodes);
  }

  dispose(): void {
    this.refreshBatch.dispose();
    this.imageBatch.dispose();
    for (const watched of this.watched.values()) for (const s of watched.subscriptions) s.dispose();
    this.watched.clear();
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}
