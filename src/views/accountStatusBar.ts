// The status bar item: who is signed in to the default organization. Clicking lists accounts.
import * as vscode from 'vscode';
import { displayLanguage } from '../platform/displayLanguage';
import type { AccountStore } from '../model/accountStore';
import { escapeThemeIcons } from '../text/iconText';

export class AccountStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('zulip.account', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: AccountStore) {
    this.item.name = vscode.l10n.t('Zulip Account');
    this.item.command = 'zulip.showAccounts';
    this.subscription = store.onDidChange(() => this.update());
    this.update();
    this.item.show();
  }

  update(): void {
    const account = this.store.defaultAccount();
    const count = this.store.list().length;
    if (!account) {
      this.item.text = `$(comment-discussion) ${vscode.l10n.t('Zulip: Sign In')}`;
      this.item.tooltip = vscode.l10n.t('Sign in to a Zulip organization');
      this.item.backgroundColor = undefined;
      this.item.accessibilityInformation = { label: vscode.l10n.t('Zulip: not signed in. Activate to sign in.') };
      return;
    }
    const others = count > 1 ? ` +${count - 1}` : '';
    this.item.text = `${account.needsSignIn ? '$(warning)' : '$(comment-discussion)'} ${escapeThemeIcons(account.fullName)}${others}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendText(`${account.fullName} <${account.email}>\n${account.realmName} — ${account.site}`);
    if (account.needsSignIn) tooltip.appendText(`\n${vscode.l10n.t('The server no longer accepts this key: sign in again.')}`);
    if (count > 1) tooltip.appendText(`\n${vscode.l10n.t('{0} organizations signed in', count.toLocaleString(displayLanguage()))}`);
    this.item.tooltip = tooltip;
    this.item.backgroundColor = account.needsSignIn ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = {
      label: account.needsSignIn
        ? vscode.l10n.t('Zulip: signed in to {0} as {1}, sign-in needed. Activate to list accounts.', account.realmName, account.fullName)
        : vscode.l10n.t('Zulip: signed in to {0} as {1}. Activate to list accounts.', account.realmName, account.fullName),
    };
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
