// The presence dot on member rows: a file decoration on the row's zulip-member: resourceUri, green
// for active, yellow for idle, none for offline. Presence comes from each organization's Presence
// model, which the decorations watch (keep current) while the Members view is visible.
import * as vscode from 'vscode';
import type { Organizations } from '../model/organizations';
import { presenceLabel } from '../model/presence';
import { parseMemberResourceUri } from './memberTreeItems';

export class PresenceDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri | vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.changed.event;
  private readonly subscriptions: { dispose(): void }[] = [];
  /** Per organization: its change subscription, and its watch while the view is visible. */
  private watched: { dispose(): void }[] = [];
  private viewVisible = false;

  constructor(private readonly organizations: Organizations) {
    this.subscriptions.push(vscode.window.registerFileDecorationProvider(this), organizations.onDidChange(() => this.watch()));
    this.watch();
  }

  /** Re-subscribes each time: a new sign-in replaces the Organization object behind an id. */
  private watch(): void {
    for (const subscription of this.watched) subscription.dispose();
    this.watched = [];
    for (const org of this.organizations.list()) {
      this.watched.push(org.presence.onDidChange(() => this.changed.fire(undefined)));
      if (this.viewVisible) this.watched.push(org.presence.watch());
    }
    this.changed.fire(undefined);
  }

  /** While the Members view is visible, presence is kept current. */
  setViewVisible(visible: boolean): void {
    if (visible === this.viewVisible) return;
    this.viewVisible = visible;
    this.watch();
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const ref = parseMemberResourceUri(uri);
    if (!ref) return undefined;
    const org = this.organizations.get(ref.accountId);
    const user = org?.members.get(ref.userId);
    if (!org || !user) return undefined;
    const state = org.presence.stateOf(user);
    switch (state) {
      case 'active':
        return { badge: '●', tooltip: presenceLabel(state), color: new vscode.ThemeColor('charts.green') };
      case 'idle':
        return { badge: '◐', tooltip: presenceLabel(state), color: new vscode.ThemeColor('charts.yellow') };
      default:
        return undefined;
    }
  }

  dispose(): void {
    for (const s of this.watched) s.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
