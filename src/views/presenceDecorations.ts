// The presence dot on member rows: a file decoration on the row's zulip-member: resourceUri, green
// for active, yellow for idle, none for offline. Presence comes from Organization.presenceOf
// (one realm-wide request at most once a minute, asked again each minute while the view shows).
import * as vscode from 'vscode';
import type { Organizations } from '../model/organizations';
import { parseMemberResourceUri } from './memberTreeItems';

const POLL_MS = 60_000;

export class PresenceDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri | vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.changed.event;
  private readonly subscriptions: { dispose(): void }[] = [];
  private watched = new Map<string, { dispose(): void }>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly organizations: Organizations) {
    this.subscriptions.push(vscode.window.registerFileDecorationProvider(this), organizations.onDidChange(() => this.watch()));
    this.watch();
  }

  /** Re-subscribes each time: a new sign-in replaces the Organization object behind an id. */
  private watch(): void {
    for (const subscription of this.watched.values()) subscription.dispose();
    this.watched.clear();
    for (const org of this.organizations.list()) this.watched.set(org.id, org.onDidChangePresence(() => this.changed.fire(undefined)));
    this.changed.fire(undefined);
  }

  /** While the Members view is visible, presence is asked for once a minute. */
  setViewVisible(visible: boolean): void {
    if (visible && !this.timer) {
      this.timer = setInterval(() => {
        for (const org of this.organizations.list()) void org.refreshPresence();
      }, POLL_MS);
      for (const org of this.organizations.list()) void org.refreshPresence();
    } else if (!visible && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const ref = parseMemberResourceUri(uri);
    if (!ref) return undefined;
    const org = this.organizations.get(ref.accountId);
    const user = org?.members.get(ref.userId);
    if (!org || !user || !user.is_active || user.is_bot) return undefined;
    switch (org.presenceOf(user)) {
      case 'active':
        return { badge: '●', tooltip: 'Active', color: new vscode.ThemeColor('charts.green') };
      case 'idle':
        return { badge: '◐', tooltip: 'Idle', color: new vscode.ThemeColor('charts.yellow') };
      default:
        return undefined;
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const s of this.watched.values()) s.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
