// The sign-in and sign-out commands: input boxes, the zuliprc picker, JWT, and the account list.
import type { CreateClient } from '../zulip/client';
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { Account, AccountStore } from '../model/accountStore';
import { signInWithApiKey, signInWithJwt } from '../model/signIn';
import type { Log } from '../platform/log';
import { describeError } from '../zulip/errors';
import { normalizeSite, siteHost, validateSite } from '../zulip/site';
import { isPlausibleApiKey, parseZuliprc } from '../zulip/zuliprc';
import { escapeThemeIcons } from '../text/iconText';
import { inertMessage } from '../text/notificationText';
import { confirmPlainHttp } from './plainHttpWarning';

export type SignInMethod = 'apiKey' | 'zuliprc' | 'jwt';

const LAST_SITE_KEY = 'zulip.lastSite';
/** How each account last signed in (account id → method), so signing in again takes the same route. */
const METHODS_KEY = 'zulip.signInMethods';

/** The route "Sign In Again" takes: the one the account signed in by, or its key when unknown. */
export function signInAgainRoute(method: SignInMethod | undefined): SignInMethod {
  return method ?? 'apiKey';
}

export class SignInCommands {
  constructor(
    private readonly store: AccountStore,
    private readonly createClient: CreateClient,
    private readonly state: vscode.Memento,
    private readonly log: Log,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('zulip.signInWithApiKey', () => this.signInWithApiKey()),
      vscode.commands.registerCommand('zulip.importZuliprc', (uri?: vscode.Uri) => this.importZuliprc(uri)),
      vscode.commands.registerCommand('zulip.signInWithJwt', () => this.signInWithJwt()),
      vscode.commands.registerCommand('zulip.signOut', (target?: unknown) => this.signOut(target)),
      vscode.commands.registerCommand('zulip.showAccounts', () => this.showAccounts()),
      vscode.commands.registerCommand('zulip.setDefaultAccount', (target?: unknown) => this.setDefault(target)),
    ];
  }

  /** Lets a person choose how to sign in; used by the account list and the Accounts menu. */
  async chooseAndSignIn(): Promise<Account | undefined> {
    const picked = await vscode.window.showQuickPick(
      [
        { label: `$(key) ${vscode.l10n.t('Sign In with API Key')}`, description: vscode.l10n.t('site, email and key'), method: 'apiKey' as const },
        { label: `$(file) ${vscode.l10n.t('Import zuliprc…')}`, description: vscode.l10n.t('a file downloaded from Zulip'), method: 'zuliprc' as const },
        { label: `$(shield) ${vscode.l10n.t('Fetch API Key from JWT')}`, description: vscode.l10n.t('a JSON Web Token from your identity provider'), method: 'jwt' as const },
      ],
      { title: vscode.l10n.t('Sign in to Zulip'), placeHolder: vscode.l10n.t('How do you want to sign in?') },
    );
    if (!picked) return undefined;
    return this.signIn(picked.method);
  }

  /**
   * Signs an account in again (a refused key): only what is not known is asked. Its site and email
   * are; a key account is asked its key, a JWT one a token for its site, a zuliprc one the file.
   */
  async signInAgain(target?: unknown): Promise<Account | undefined> {
    const account = await this.resolveAccount(target, vscode.l10n.t('Sign in again to which Zulip organization?'));
    if (!account) return undefined;
    switch (signInAgainRoute(this.methods()[account.id])) {
      case 'apiKey':
        return this.signInWithKeyOnly(account);
      case 'jwt':
        return this.signInWithJwt({ site: account.site, skipSite: true });
      case 'zuliprc':
        return this.importZuliprc();
    }
  }

  private methods(): Record<string, SignInMethod | undefined> {
    return this.state.get<Record<string, SignInMethod | undefined>>(METHODS_KEY, {});
  }

  private async remember(account: Account | undefined, method: SignInMethod): Promise<Account | undefined> {
    if (account) await this.state.update(METHODS_KEY, { ...this.methods(), [account.id]: method });
    return account;
  }

  private async signInWithKeyOnly(account: Account): Promise<Account | undefined> {
    const apiKey = await vscode.window.showInputBox({
      title: vscode.l10n.t('Sign in again to {0}: API key', account.realmName),
      prompt: vscode.l10n.t('The API key of {0} in {1} (Personal settings → Account & privacy → API key in Zulip)', account.email, account.site),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (isPlausibleApiKey(value.trim()) ? undefined : vscode.l10n.t('A Zulip API key is 32 letters and digits.')),
    });
    if (apiKey === undefined) return undefined;
    const signedIn = await this.run(account.site, (s) => signInWithApiKey(this.store, this.createClient, s, account.email, apiKey.trim()), () =>
      this.signInWithKeyOnly(account),
    );
    return this.remember(signedIn, 'apiKey');
  }

  signIn(method: SignInMethod): Promise<Account | undefined> {
    switch (method) {
      case 'apiKey':
        return this.signInWithApiKey();
      case 'zuliprc':
        return this.importZuliprc();
      case 'jwt':
        return this.signInWithJwt();
    }
  }

  async signInWithApiKey(prefill: { site?: string; email?: string } = {}): Promise<Account | undefined> {
    const site = await this.askSite(prefill.site);
    if (!site) return undefined;
    const email = await vscode.window.showInputBox({
      title: vscode.l10n.t('Sign in to Zulip (2/3): email'),
      prompt: vscode.l10n.t('Your email address in {0}', site),
      placeHolder: vscode.l10n.t('you@example.com'),
      value: prefill.email,
      ignoreFocusOut: true,
      validateInput: (value) => (/^[^\s@]+@[^\s@]+$/.test(value.trim()) ? undefined : vscode.l10n.t('Enter the email address you sign in to Zulip with.')),
    });
    if (email === undefined) return undefined;
    const apiKey = await vscode.window.showInputBox({
      title: vscode.l10n.t('Sign in to Zulip (3/3): API key'),
      prompt: vscode.l10n.t('Your API key (Personal settings → Account & privacy → API key in Zulip)'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (isPlausibleApiKey(value.trim()) ? undefined : vscode.l10n.t('A Zulip API key is 32 letters and digits.')),
    });
    if (apiKey === undefined) return undefined;
    const account = await this.run(site, (s) => signInWithApiKey(this.store, this.createClient, s, email.trim(), apiKey.trim()), () =>
      this.signInWithApiKey({ site, email: email.trim() }),
    );
    return this.remember(account, 'apiKey');
  }

  async importZuliprc(uri?: vscode.Uri): Promise<Account | undefined> {
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({
        title: vscode.l10n.t('Import zuliprc'),
        openLabel: vscode.l10n.t('Import'),
        canSelectMany: false,
        defaultUri: vscode.Uri.file(os.homedir()),
      });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    const name = uri.fsPath || uri.toString();
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (error) {
      void vscode.window.showErrorMessage(inertMessage(vscode.l10n.t('Could not read {0}: {1}', name, describeError(error))));
      return undefined;
    }
    let rc: ReturnType<typeof parseZuliprc>;
    try {
      rc = parseZuliprc(text, name);
    } catch (error) {
      void vscode.window.showErrorMessage(inertMessage(describeError(error)));
      return undefined;
    }
    if (rc.insecure) {
      void vscode.window.showWarningMessage(inertMessage(vscode.l10n.t('{0} asks to skip TLS certificate checks (insecure=true). Zulip for VS Code always checks certificates; set zulip.caBundlePath for a self-hosted CA.', name)));
    }
    // A certificate authority is trusted only when asked, and only for this organization.
    if (rc.certBundle) await this.offerSiteCaBundle(rc.site, rc.certBundle, name);
    // A zuliprc's site gets the same question as a typed one before its key goes out.
    if (!(await confirmPlainHttp(rc.site))) return undefined;
    return this.remember(await this.run(rc.site, (s) => signInWithApiKey(this.store, this.createClient, s, rc.email, rc.apiKey)), 'zuliprc');
  }

  private async offerSiteCaBundle(site: string, bundle: string, file: string): Promise<void> {
    const zulip = vscode.workspace.getConfiguration('zulip');
    const bundles = { ...zulip.get<Record<string, string>>('caBundles', {}) };
    const origin = new URL(site).origin;
    if (bundles[origin] === bundle) return;
    const trust = vscode.l10n.t('Trust for {0}', siteHost(site));
    const choice = await vscode.window.showWarningMessage(
      inertMessage(vscode.l10n.t('{0} names a certificate bundle, {1}. Trust the certificate authorities in it for {2} only?', file, bundle, origin)),
      {
        modal: true,
        detail: vscode.l10n.t('They would let that organization use certificates your system does not trust. No other site is affected. The setting zulip.caBundles keeps the choice.'),
      },
      trust,
    );
    if (choice !== trust) return;
    bundles[origin] = bundle;
    await zulip.update('caBundles', bundles, vscode.ConfigurationTarget.Global);
  }

  async signInWithJwt(prefill: { site?: string; skipSite?: boolean } = {}): Promise<Account | undefined> {
    const site = prefill.skipSite && prefill.site ? prefill.site : await this.askSite(prefill.site, vscode.l10n.t('Sign in with a JSON Web Token (1/2): organization URL'));
    if (!site) return undefined;
    const token = await vscode.window.showInputBox({
      title: vscode.l10n.t('Sign in with a JSON Web Token (2/2): token'),
      prompt: vscode.l10n.t("A JSON Web Token for {0}, issued by your organization's identity provider", site),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) =>
        /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value.trim()) ? undefined
          : vscode.l10n.t('A JSON Web Token has three parts separated by dots (xxxxx.yyyyy.zzzzz).'),
    });
    if (token === undefined) return undefined;
    this.log.addSecret(token.trim());
    const account = await this.run(site, (s) => signInWithJwt(this.store, this.createClient, s, token.trim()), () => this.signInWithJwt({ ...prefill, site }));
    return this.remember(account, 'jwt');
  }

  async signOut(target?: unknown): Promise<void> {
    const account = await this.resolveAccount(target, vscode.l10n.t('Sign out of which Zulip organization?'));
    if (!account) return;
    await this.store.remove(account.id);
    this.log.info(`Signed out of ${account.site} (${account.email})`);
    void vscode.window.showInformationMessage(inertMessage(vscode.l10n.t('Signed out of {0} ({1}).', account.realmName, account.email)));
  }

  async setDefault(target?: unknown): Promise<void> {
    const account = await this.resolveAccount(target, vscode.l10n.t('Which organization should be the default?'));
    if (!account) return;
    await this.store.setDefault(account.id);
  }

  /** The account list behind the status bar item. */
  async showAccounts(): Promise<void> {
    const accounts = this.store.ordered();
    const defaultId = this.store.defaultAccount()?.id;
    type Item = vscode.QuickPickItem & { account?: Account; action?: () => Promise<unknown> };
    const signOutButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('sign-out'), tooltip: vscode.l10n.t('Sign Out') };
    const defaultButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('star-empty'), tooltip: vscode.l10n.t('Make Default') };
    const items: Item[] = [
      ...accounts.map<Item>((account) => ({
        label: `${account.id === defaultId ? '$(star-full)' : '$(account)'} ${escapeThemeIcons(account.fullName)}`,
        description: escapeThemeIcons(`${account.email} · ${account.realmName}`),
        detail: account.needsSignIn ? `$(warning) ${vscode.l10n.t('The server no longer accepts this key: sign in again')}` : account.site,
        account,
        buttons: account.id === defaultId ? [signOutButton] : [defaultButton, signOutButton],
        action: account.needsSignIn ? () => this.signInAgain(account.id) : undefined,
      })),
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      ...(accounts.length ? [{ label: `$(smiley) ${vscode.l10n.t('Set Status…')}`, action: () => Promise.resolve(vscode.commands.executeCommand('zulip.setStatus')) }] : []),
      { label: `$(add) ${vscode.l10n.t('Sign in to an organization…')}`, action: () => this.chooseAndSignIn() },
      { label: `$(output) ${vscode.l10n.t('Show Log')}`, action: () => Promise.resolve(this.log.show()) },
    ];
    const pick = vscode.window.createQuickPick<Item>();
    pick.title = vscode.l10n.t('Zulip accounts');
    pick.placeholder = accounts.length ? vscode.l10n.t('Signed-in organizations (the default one is starred)') : vscode.l10n.t('Not signed in');
    pick.items = items;
    const done = new Promise<Item | undefined>((resolve) => {
      pick.onDidAccept(() => resolve(pick.selectedItems[0]));
      pick.onDidHide(() => resolve(undefined));
      pick.onDidTriggerItemButton(async ({ item, button }) => {
        pick.hide();
        if (!item.account) return;
        if (button === signOutButton) await this.signOut(item.account.id);
        else await this.store.setDefault(item.account.id);
      });
    });
    pick.show();
    const chosen = await done;
    pick.dispose();
    if (chosen?.action) await chosen.action();
    else if (chosen?.account && chosen.account.id !== defaultId) await this.store.setDefault(chosen.account.id);
  }

  /** An account from a command argument (id, account, tree node) or a pick. */
  private async resolveAccount(target: unknown, placeHolder: string): Promise<Account | undefined> {
    const id =
      typeof target === 'string'
        ? target
        : typeof target === 'object' && target !== null && 'accountId' in target
          ? String(target.accountId)
          : typeof target === 'object' && target !== null && 'id' in target
            ? String(target.id)
            : undefined;
    if (id) {
      const found = this.store.get(id);
      if (found) return found;
    }
    const accounts = this.store.ordered();
    if (accounts.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No Zulip organization is signed in.'));
      return undefined;
    }
    if (accounts.length === 1) return accounts[0];
    const pick = await vscode.window.showQuickPick(
      accounts.map((account) => ({ label: escapeThemeIcons(account.fullName), description: escapeThemeIcons(`${account.email} · ${account.realmName}`), account })),
      { placeHolder },
    );
    return pick?.account;
  }

  private async askSite(value?: string, title = vscode.l10n.t('Sign in to Zulip (1/3): organization URL')): Promise<string | undefined> {
    const input = await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('The address of your Zulip organization'),
      placeHolder: vscode.l10n.t('https://chat.example.com'),
      value: value ?? this.state.get<string>(LAST_SITE_KEY),
      ignoreFocusOut: true,
      validateInput: validateSite,
    });
    if (input === undefined) return undefined;
    const site = normalizeSite(input);
    if (!(await confirmPlainHttp(site))) return undefined;
    await this.state.update(LAST_SITE_KEY, site);
    return site;
  }

  /** Runs a sign-in with progress; reports success, or the reason and a way to try again. */
  private async run(site: string, signIn: (site: string) => Promise<Account>, retry?: () => Promise<Account | undefined>): Promise<Account | undefined> {
    try {
      const account = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Signing in to {0}…', site) },
        () => signIn(site),
      );
      this.log.info(`Signed in to ${account.site} as ${account.email} (user ${account.userId}, feature level ${account.featureLevel})`);
      void vscode.window.showInformationMessage(inertMessage(vscode.l10n.t('Signed in to {0} as {1} ({2}).', account.realmName, account.fullName, account.email)));
      return account;
    } catch (error) {
      const message = this.log.scrub(describeError(error));
      this.log.error(`Sign-in to ${site} failed`, message);
      // Not awaited: the command finishes now; the choice is acted on whenever it is made.
      const tryAgain = vscode.l10n.t('Try Again');
      const showLog = vscode.l10n.t('Show Log');
      void vscode.window.showErrorMessage(inertMessage(vscode.l10n.t('Sign-in failed: {0}', message)), ...(retry ? [tryAgain] : []), showLog).then((action) => {
        if (action === tryAgain && retry) void retry();
        if (action === showLog) this.log.show();
      });
      return undefined;
    }
  }
}
