// Which organization a command is about: the one named by its argument, the only one signed in,
// or the one a person picks (default first). With none, offers to sign in.
import * as vscode from 'vscode';
import type { Organization } from '../model/organization';
import type { Organizations } from '../model/organizations';
import { escapeThemeIcons } from '../text/iconText';
import { inertMessage } from '../text/notificationText';

export async function pickOrganization(organizations: Organizations, purpose: string, accountId?: string): Promise<Organization | undefined> {
  if (accountId !== undefined) {
    const named = organizations.get(accountId);
    if (!named) void vscode.window.showErrorMessage(inertMessage(`Zulip: that organization is no longer signed in (${accountId.split('|')[0]}).`));
    return named;
  }
  const orgs = organizations.list();
  if (orgs.length === 0) {
    const signIn = 'Sign In';
    const answer = await vscode.window.showInformationMessage(`Sign in to a Zulip organization to ${purpose}.`, signIn);
    if (answer === signIn) await vscode.commands.executeCommand('zulip.signInWithApiKey');
    return undefined;
  }
  if (orgs.length === 1) return orgs[0];
  const picked = await vscode.window.showQuickPick(
    orgs.map((org, index) => ({
      label: escapeThemeIcons(org.name),
      description: index === 0 ? `${org.account.site} · default` : org.account.site,
      detail: escapeThemeIcons(`Signed in as ${org.account.fullName} <${org.account.email}>`),
      org,
    })),
    { title: `Zulip: ${purpose}`, placeHolder: 'Which organization?' },
  );
  return picked?.org;
}
