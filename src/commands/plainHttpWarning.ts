// The question asked before an API key is sent to a site over plain http (anywhere but this
// machine): typed in, imported from a zuliprc, or found in the environment.
import * as vscode from 'vscode';
import { isLoopback, isPlainHttp } from '../zulip/site';
import { inertMessage } from '../text/notificationText';

/** The button that sends the key anyway (a function: the display language is known only once VS Code runs). */
export const continueWithHttp = (): string => vscode.l10n.t('Continue with http');

/** True when the site is safe to send a key to, or the person confirmed plain http. */
export async function confirmPlainHttp(site: string): Promise<boolean> {
  if (!isPlainHttp(site) || isLoopback(site)) return true;
  const proceed = await vscode.window.showWarningMessage(
    inertMessage(vscode.l10n.t('{0} uses plain http: your API key would travel unencrypted and could be read on the network.', site)),
    { modal: true, detail: vscode.l10n.t('Use https:// unless you are sure this network is private.') },
    continueWithHttp(),
  );
  return proceed === continueWithHttp();
}
