// Composition root: builds the parts and wires them together. Behaviour lives in the parts.
import * as vscode from 'vscode';
import { offerEnvironmentImport } from './commands/environmentImport';
import { SignInCommands } from './commands/signInCommands';
import { AccountStore } from './model/accountStore';
import { Organizations } from './model/organizations';
import { ClientFactory } from './platform/clientFactory';
import { Log } from './platform/log';
import { AccountStatusBar } from './views/accountStatusBar';
import { ZulipAuthenticationProvider } from './views/authenticationProvider';

/** What the extension hands to its integration tests (only in test mode). */
export interface ZulipTestApi {
  accounts: AccountStore;
  organizations: Organizations;
}

export function activate(context: vscode.ExtensionContext): ZulipTestApi | undefined {
  const log = new Log();
  const accounts = new AccountStore(context.globalState, context.secrets);
  const clients = new ClientFactory(String(context.extension.packageJSON.version ?? '0.0.0'), log);
  const signIn = new SignInCommands(accounts, clients.create, context.globalState, log);
  const organizations = new Organizations(accounts, clients.create, {
    cacheDir: context.globalStorageUri.fsPath,
    log: (level, message) => log[level](message),
  });

  context.subscriptions.push(
    log,
    accounts,
    ...signIn.register(),
    vscode.commands.registerCommand('zulip.showLog', () => log.show()),
    new AccountStatusBar(accounts),
    new ZulipAuthenticationProvider(accounts, () => signIn.chooseAndSignIn()),
    { dispose: () => void organizations.dispose() },
  );

  void organizations.startAll();

  void offerEnvironmentImport(accounts, clients.create, context.globalState, log);

  return context.extensionMode === vscode.ExtensionMode.Test ? { accounts, organizations } : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
