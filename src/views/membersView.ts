// The Members view: its tree, presence dots, and the title-bar and row actions that concern the
// view itself (filter, show/hide deactivated, refresh, retry, sign in again), with the context
// keys that swap their icons.
import * as vscode from 'vscode';
import { Delayer } from '../common/delayer';
import type { Organizations } from '../model/organizations';
import type { MemberRef } from '../model/memberRef';
import type { AvatarCache } from '../model/avatarCache';
import { MemberTreeProvider } from './memberTreeProvider';
import type { MemberTreeNode } from './memberTreeModel';
import { PresenceDecorations } from './presenceDecorations';

export const MEMBERS_VIEW_ID = 'zulip.members';
const SHOW_DEACTIVATED_KEY = 'zulip.members.showDeactivated';
/** How long typing pauses before the tree filters (each keystroke would otherwise refilter). */
const FILTER_DELAY_MS = 120;

export class MembersView implements vscode.Disposable {
  readonly provider: MemberTreeProvider;
  readonly treeView: vscode.TreeView<MemberTreeNode>;
  readonly decorations: PresenceDecorations;
  private readonly disposables: vscode.Disposable[] = [];
  private minuteTimer?: NodeJS.Timeout;
  private filterBox?: vscode.InputBox;

  private readonly showDeactivatedChanged = new vscode.EventEmitter<boolean>();

  constructor(
    private readonly organizations: Organizations,
    avatars: AvatarCache,
    private readonly state: vscode.Memento,
    /** Signs the account of a row ({accountId}) in again. */
    private readonly signInAgain: (target?: unknown) => Promise<unknown>,
  ) {
    this.provider = new MemberTreeProvider(organizations, avatars);
    this.treeView = vscode.window.createTreeView(MEMBERS_VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true });
    this.decorations = new PresenceDecorations(organizations);
    this.disposables.push(
      this.provider,
      this.treeView,
      this.decorations,
      this.treeView.onDidChangeVisibility(({ visible }) => this.visibilityChanged(visible)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('zulip.members.description')) this.visibilityChanged(this.treeView.visible);
      }),
      // Nobody signed in: the welcome's sign-in buttons show only without a filter message.
      { dispose: organizations.onDidChange(() => this.clearFilterWhenSignedOut()).dispose },
    );
    this.setShowDeactivated(this.state.get<boolean>(SHOW_DEACTIVATED_KEY, false));
    this.applyFilter('');
    this.visibilityChanged(this.treeView.visible);
  }

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('zulip.members.filter', (text?: unknown) => this.filter(text)),
      vscode.commands.registerCommand('zulip.members.clearFilter', () => this.applyFilter('')),
      vscode.commands.registerCommand('zulip.members.showDeactivated', () => this.setShowDeactivated(true)),
      vscode.commands.registerCommand('zulip.members.hideDeactivated', () => this.setShowDeactivated(false)),
      vscode.commands.registerCommand('zulip.members.refresh', () => this.refresh(undefined)),
      vscode.commands.registerCommand('zulip.members.retry', (arg?: unknown) => this.refresh(accountIdOf(arg))),
      vscode.commands.registerCommand('zulip.members.signInAgain', (arg?: unknown) => this.signInAgain(arg)),
    ];
  }

  /** The selected member row, for commands run from a keybinding. */
  selectedMember(): MemberRef | undefined {
    const node = this.treeView.selection.find((n) => n.type === 'member');
    return node?.type === 'member' ? { accountId: node.accountId, userId: node.userId } : undefined;
  }

  // ---- Filter ----

  /** With a text (tests, other commands): filters at once. Without: an input box filtering as you type. */
  private filter(text: unknown): void {
    if (typeof text === 'string') {
      this.applyFilter(text);
      return;
    }
    this.filterBox?.dispose();
    const box = vscode.window.createInputBox();
    this.filterBox = box;
    box.title = vscode.l10n.t('Filter Members');
    box.placeholder = vscode.l10n.t('Name or email; empty shows everyone');
    box.prompt = vscode.l10n.t('The tree filters as you type. Enter or Escape closes this box and keeps the filter.');
    box.value = this.provider.model.filter;
    const typing = new Delayer(() => this.applyFilter(box.value), FILTER_DELAY_MS, { restartOnCall: true });
    box.onDidChangeValue(() => typing.schedule());
    box.onDidAccept(() => {
      typing.cancel();
      this.applyFilter(box.value);
      box.hide();
    });
    box.onDidHide(() => {
      typing.cancel();
      this.applyFilter(box.value);
      box.dispose();
      if (this.filterBox === box) this.filterBox = undefined;
    });
    box.show();
  }

  private applyFilter(text: string): void {
    const filter = text.trim();
    this.provider.setFilter(filter);
    this.treeView.message = filter ? vscode.l10n.t('Members whose name or email contains “{0}”', filter) : undefined;
    void vscode.commands.executeCommand('setContext', 'zulip.members.filtered', filter.length > 0);
  }

  private clearFilterWhenSignedOut(): void {
    if (this.organizations.list().length > 0 || !this.provider.model.filter) return;
    // Emptied first: a box closing applies its value.
    if (this.filterBox) this.filterBox.value = '';
    this.filterBox?.dispose();
    this.applyFilter('');
  }

  // ---- Deactivated members ----

  /** The "show deactivated" toggle changed (the Groups view follows it too). */
  readonly onDidChangeShowDeactivated = this.showDeactivatedChanged.event;

  get showingDeactivated(): boolean {
    return this.state.get<boolean>(SHOW_DEACTIVATED_KEY, false);
  }

  private setShowDeactivated(show: boolean): void {
    this.provider.setShowDeactivated(show);
    this.showDeactivatedChanged.fire(show);
    void this.state.update(SHOW_DEACTIVATED_KEY, show);
    void vscode.commands.executeCommand('setContext', 'zulip.members.showingDeactivated', show);
  }

  // ---- Refresh and retry ----

  /** Refetches one organization or all; failures show in the tree (state rows), not as popups. */
  private async refresh(accountId: string | undefined): Promise<void> {
    const orgs = accountId ? [this.organizations.get(accountId)].filter((o) => o !== undefined) : this.organizations.list();
    await vscode.window.withProgress({ location: { viewId: MEMBERS_VIEW_ID } }, () =>
      Promise.all(orgs.map((org) => org.refresh().catch(() => undefined))),
    );
  }

  // ---- Visibility ----

  private visibilityChanged(visible: boolean): void {
    this.decorations.setViewVisible(visible);
    // A local-time description changes each minute; only then, and only while the view shows.
    const localTime = vscode.workspace.getConfiguration('zulip.members').get<string>('description', 'pronouns') === 'localTime';
    if (visible && localTime && !this.minuteTimer) {
      this.minuteTimer = setInterval(() => this.provider.refreshAll(), 60_000);
    } else if ((!visible || !localTime) && this.minuteTimer) {
      clearInterval(this.minuteTimer);
      this.minuteTimer = undefined;
    }
  }

  dispose(): void {
    clearInterval(this.minuteTimer);
    this.showDeactivatedChanged.dispose();
    this.filterBox?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function accountIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'object' && arg !== null && typeof (arg as { accountId?: unknown }).accountId === 'string') return (arg as { accountId: string }).accountId;
  return undefined;
}
