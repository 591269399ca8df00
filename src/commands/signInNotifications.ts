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
    const message = reason
      ? vscode.l10n.t('{0} no longer accepts the key for {1}: {2}.', siteHost(account.site), account.email, reason)
      : vscode.l10n.t('{0} no longer accepts the key for {1}.', siteHost(account.site), account.email);
    const signIn = vscode.l10n.t('Sign In');
    void vscode.window.showWarningMessage(inertMessage(message), signIn).then((choice) => {
      if (choice === signIn) void this.signIn(account);
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
