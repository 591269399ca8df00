// "Zulip: Show My Profile": asks the server who the signed-in account is (GET /users/me) and
// opens the profile panel on it.
import * as vscode from 'vscode';
import { inertMessage } from '../text/notificationText';
import type { Organizations } from '../model/organizations';
import { describeError } from '../zulip/errors';
import type { MemberRef } from '../model/memberRef';
import { pickOrganization } from './pickOrganization';

export class ShowMyProfileCommand {
  constructor(private readonly organizations: Organizations) {}

  register(): vscode.Disposable[] {
    return [vscode.commands.registerCommand('zulip.showMyProfile', (args?: { accountId?: string }) => this.run(args?.accountId))];
  }

  /** Resolves with the member whose profile was opened. */
  async run(accountId?: string): Promise<MemberRef | undefined> {
    const org = await pickOrganization(
      this.organizations,
      { signInFirst: vscode.l10n.t('Sign in to a Zulip organization to show your profile.'), title: vscode.l10n.t('Zulip: Show My Profile') },
      accountId,
    );
    if (!org) return undefined;
    let me;
    try {
      me = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Zulip: asking {0} who you are', org.name) },
        () => org.client.getOwnUser(),
      );
    } catch (error) {
      void vscode.window.showErrorMessage(inertMessage(vscode.l10n.t('Zulip: could not fetch your profile from {0}: {1}', org.name, describeError(error))));
      return undefined;
    }
    // Before the member list has loaded, the index may not have you yet; the panel reads it.
    if (!org.members.get(me.user_id)) org.applyEvents([{ id: -1, type: 'realm_user', op: 'add', person: me }]);
    const target: MemberRef = { accountId: org.id, userId: me.user_id };
    await vscode.commands.executeCommand('zulip.openProfile', target);
    return target;
  }
}
