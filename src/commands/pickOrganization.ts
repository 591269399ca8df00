// Which organization a command is about: the one named by its argument, the only one signed in,
// or the one a person picks (default first). With none, offers to sign in.
import * as vscode from 'vscode';
import type { Organization } from '../model/organization';
import type { Organizations } from '../model/organizations';
import { escapeThemeIcons } from '../text/iconText';
import { inertMessage } from '../text/notificationText';

/** What a command says when it needs an organization: the notice with none signed in, and the picker's title. */
export interface OrganizationPurpose {
  /** "Sign in to a Zulip organization to find a member." */
  signInFirst: string;
  /** "Zulip: Find a Member" */
  title: string;
}

export async function pickOrganization(organizations: Organizations, purpose: OrganizationPurpose, accountId?: string): Promise<Organization | undefined> {
  if (accountId !== undefined) {
    const named = organizations.get(accountId);
    if (!named) void vscode.window.showErrorMessage(inertMessage(vscode.l10n.t('Zulip: that organization is no longer signed in ({0}).', accountId.split('|')[0])));
    return named;
  }
  const orgs = organizations.list();
  if (orgs.length === 0) {
    const signIn = vscode.l10n.t('Sign In');
    const answer = await vscode.window.showInformationMessage(purpose.signInFirst, signIn);
    if (answer === signIn) await vscode.commands.executeCommand('zulip.signInWithApiKey');
    return undefined;
  }
  if (orgs.length === 1) return orgs[0];
  const picked = await vscode.window.showQuickPick(
    orgs.map((org, index) => ({
      label: escapeThemeIcons(org.name),
      description: index === 0 ? vscode.l10n.t('{0} · default', org.account.site) : org.account.site,
      detail: escapeThemeIcons(vscode.l10n.t('Signed in as {0} <{1}>', org.account.fullName, org.account.email)),
      org,
    })),
    { title: purpose.title, placeHolder: vscode.l10n.t('Which organization?') },
  );
  return picked?.org;
}
