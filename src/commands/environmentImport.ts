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
  const answer = await vscode.window.showInformationMessage(
    inertMessage(`Zulip credentials for ${found.email} at ${found.site} are set in the environment (${found.source}). Sign in with them?`),
    'Sign In',
    'Not Now',
  );
  if (answer !== 'Sign In' || !(await confirmPlainHttp(found.site))) return;
  try {
    const account = await signInWithApiKey(store, createClient, found.site, found.email, found.apiKey);
    void vscode.window.showInformationMessage(inertMessage(`Signed in to ${account.realmName} as ${account.fullName} (${account.email}).`));
  } catch (error) {
    void vscode.window.showErrorMessage(inertMessage(`Sign-in with the environment's credentials failed: ${log.scrub(describeError(error))}`));
  }
}
