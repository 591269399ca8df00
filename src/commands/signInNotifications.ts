// One notification per account when its server stops accepting the key ("SITE no longer accepts
// the key for EMAIL: the server's reason" [Sign In]); not again until that account has signed in anew.
import * as vscode from 'vscode';
import type { Account, AccountStore } from '../model/accountStore';
import { siteHost } from '../zulip/site';
import { inertMessage } from '../text/notificationText';

export class SignInNotifications implements vscode.Disposable {
  private readonly notified = new Set<string>();
  private readonly subscription: { dispose(): void };

  constructor(
    accounts: AccountStore,
    private readonly signIn: (account: Account) => Promise<unknown>,
    /** What the server said when it refused the key ("Account is deactivated"), if known. */
    private readonly reasonOf: (account: Account) => string | undefined = () => undefined,
  ) {
    this.subscription = accounts.onDidChange(({ added, changed, removed }) => {
      for (const account of [added, changed]) if (account) this.check(account);
      if (removed) this.notified.delete(removed.id);
    });
    for (const account of accounts.list()) this.check(account);
  }

  private check(account: Account): void {
    if (!account.needsSignIn) {
      this.notified.delete(account.id);
      return;
    }
    if (this.notified.has(account.id)) return;
    this.notified.add(account.id);
    const reason = this.reasonOf(account)?.trim().replace(/\.$/, '');
    const message = `${siteHost(account.site)} no longer accepts the key for ${account.email}${reason ? `: ${reason}` : ''}.`;
    void vscode.window.showWarningMessage(inertMessage(message), 'Sign In').then((choice) => {
      if (choice === 'Sign In') void this.signIn(account);
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
