// Offers, once per site and email, to sign in with credentials found in the environment.
import type { CreateClient } from '../zulip/client';
import * as vscode from 'vscode';
import { accountId, type AccountStore } from '../model/accountStore';
import { readEnvironmentCredentials } from '../model/environmentCredentials';
import { signInWithApiKey } from '../model/signIn';
import type { Log } from '../platform/log';
import { describeError } from '../zulip/errors';
import { inertMessage } from '../text/notificationText';
import { confirmPlainHttp } from './plainHttpWarning';

const OFFERED_KEY = 'zulip.environmentOffered';

export async function offerEnvironmentImport(store: AccountStore, createClient: CreateClient, state: vscode.Memento, log: Log): Promise<void> {
  if (!vscode.workspace.getConfiguration('zulip').get<boolean>('offerEnvironmentImport', true)) return;
  let found;
  try {
    found = await readEnvironmentCredentials(process.env);
  } catch (error) {
    log.warn(`Zulip credentials in the environment were not usable: ${describeError(error)}`);
    return;
  }
  if (!found) return;
  log.addSecret(found.apiKey);
  const id = accountId(found.site, found.email);
  const offered = state.get<string[]>(OFFERED_KEY) ?? [];
  if (store.get(id) || offered.includes(id)) return;
  await state.update(OFFERED_KEY, [...offered, id]);
  const signIn = vscode.l10n.t('Sign In');
  const answer = await vscode.window.showInformationMessage(
    inertMessage(vscode.l10n.t('Zulip credentials for {0} at {1} are set in the environment ({2}). Sign in with them?', found.email, found.site, found.source)),
    signIn,
    vscode.l10n.t('Not Now'),
  );
  if (answer !== signIn || !(await confirmPlainHttp(found.site))) return;
  try {
    const account = await signInWithApiKey(store, createClient, found.site, found.email, found.apiKey);
    void vscode.window.showInformationMessage(inertMessage(vscode.l10n.t('Signed in to {0} as {1} ({2}).', account.realmName, account.fullName, account.email)));
  } catch (error) {
    void vscode.window.showErrorMessage(inertMessage(vscode.l10n.t("Sign-in with the environment's credentials failed: {0}", log.scrub(describeError(error)))));
  }
}
