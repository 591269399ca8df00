// Puts the signed-in accounts in VS Code's Accounts menu, and lets other extensions ask for a
// Zulip session: vscode.authentication.getSession('zulip', [], { createIfNone: true }). A
// session's accessToken is the API key; its account id is "site|email".
import * as vscode from 'vscode';
import type { Account, AccountStore } from '../model/accountStore';

export const AUTH_PROVIDER_ID = 'zulip';

export class ZulipAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly store: AccountStore,
    private readonly signIn: () => Promise<Account | undefined>,
  ) {
    this.disposables.push(
      this.changed,
      vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, 'Zulip', this, { supportsMultipleAccounts: true }),
      store.onDidChange(({ added, removed, changed }) => void this.announce(added, removed, changed)),
    );
  }

  /** Tells VS Code which sessions came, went or changed with an account change. */
  private async announce(added: Account | undefined, removed: Account | undefined, changed: Account | undefined): Promise<void> {
    const toSession = async (a: Account | undefined) => (a ? [await this.session(a)] : []);
    this.changed.fire({
      added: (await toSession(added)).filter(isSession),
      removed: removed ? [stubSession(removed)] : [],
      changed: (await toSession(changed)).filter(isSession),
    });
  }

  async getSessions(_scopes?: readonly string[], options?: vscode.AuthenticationProviderSessionOptions): Promise<vscode.AuthenticationSession[]> {
    const accounts = this.store.ordered().filter((a) => !a.needsSignIn && (!options?.account || options.account.id === a.id));
    const sessions = await Promise.all(accounts.map((a) => this.session(a)));
    return sessions.filter(isSession);
  }

  async createSession(): Promise<vscode.AuthenticationSession> {
    const account = await this.signIn();
    const session = account ? await this.session(account) : undefined;
    if (!session) throw new Error(vscode.l10n.t('Sign-in to Zulip was cancelled or failed.'));
    return session;
  }

  async removeSession(sessionId: string): Promise<void> {
    await this.store.remove(sessionId);
  }

  private async session(account: Account): Promise<vscode.AuthenticationSession | undefined> {
    const key = await this.store.getApiKey(account.id);
    if (!key) return undefined;
    return { ...stubSession(account), accessToken: key };
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

function stubSession(account: Account): vscode.AuthenticationSession {
  return {
    id: account.id,
    accessToken: '',
    account: { id: account.id, label: `${account.email} (${account.realmName})` },
    scopes: [],
  };
}

function isSession(s: vscode.AuthenticationSession | undefined): s is vscode.AuthenticationSession {
  return s !== undefined;
}
