// Commands about one member: open the profile (here or to the side), copy the mention or the
// email, open the profile or a direct message in Zulip's web app. Each takes a Members tree row or
// a plain `{accountId, userId}` (command links in hovers, the member lookup), or, from a
// keybinding, acts on the row selected in the Members view.
import * as vscode from 'vscode';
import { directMessageUrl, isDeleted, mentionText, profileUrl, realEmail } from '../model/memberInfo';
import { parseMemberRef, type MemberRef } from '../model/memberRef';
import type { Organization } from '../model/organization';
import type { Organizations } from '../model/organizations';
import type { User } from '../zulip/types';
import type { ProfilePanel } from '../views/profilePanel';
import { inertMessage } from '../text/notificationText';

export class MemberCommands {
  constructor(
    private readonly organizations: Organizations,
    private readonly profile: ProfilePanel,
    /** The member row selected in the Members view, for keybindings that pass no argument. */
    private readonly selectedMember: () => MemberRef | undefined,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('zulip.openProfile', (arg?: unknown) => this.openProfile(arg, undefined)),
      vscode.commands.registerCommand('zulip.openProfileToSide', (arg?: unknown) => this.openProfile(arg, true)),
      vscode.commands.registerCommand('zulip.copyMention', (arg?: unknown) => this.copyMention(arg)),
      vscode.commands.registerCommand('zulip.copyEmail', (arg?: unknown) => this.copyEmail(arg)),
      vscode.commands.registerCommand('zulip.openInZulip', (arg?: unknown) => this.openInZulip(arg)),
      vscode.commands.registerCommand('zulip.sendDirectMessage', (arg?: unknown) => this.sendDirectMessage(arg)),
    ];
  }

  /** The organization and member an argument names; says why when there is none. */
  private resolve(arg: unknown): { org: Organization; user: User } | undefined {
    const ref = parseMemberRef(arg) ?? this.selectedMember();
    if (!ref) {
      void vscode.window.showInformationMessage('Choose a member in the Zulip Members view first.');
      return undefined;
    }
    const org = this.organizations.get(ref.accountId);
    if (!org) {
      void vscode.window.showWarningMessage('That member belongs to an organization you are not signed in to.');
      return undefined;
    }
    const user = org.members.get(ref.userId);
    if (!user) {
      void vscode.window.showWarningMessage(inertMessage(`${org.name} has no member with id ${ref.userId}.`));
      return undefined;
    }
    if (isDeleted(user)) {
      // Zulip offers no actions on a deleted account: nothing to open, mention or message.
      void vscode.window.showInformationMessage(inertMessage(`User ${user.user_id} of ${org.name} was deleted: there is nothing to open or mention.`));
      return undefined;
    }
    return { org, user };
  }

  private openProfile(arg: unknown, beside: boolean | undefined): MemberRef | undefined {
    const found = this.resolve(arg);
    if (!found) return undefined;
    const ref = { accountId: found.org.id, userId: found.user.user_id };
    this.profile.show(ref, { beside });
    return ref;
  }

  private async copyMention(arg: unknown): Promise<string | undefined> {
    const found = this.resolve(arg);
    if (!found) return undefined;
    const text = mentionText(found.user);
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(`Copied ${text}`, 3000);
    return text;
  }

  private async copyEmail(arg: unknown): Promise<string | undefined> {
    const found = this.resolve(arg);
    if (!found) return undefined;
    const email = realEmail(found.user);
    if (!email) {
      void vscode.window.showInformationMessage(inertMessage(`${found.user.full_name}'s email address is not visible to you.`));
      return undefined;
    }
    await vscode.env.clipboard.writeText(email);
    vscode.window.setStatusBarMessage(`Copied ${email}`, 3000);
    return email;
  }

  private async openInZulip(arg: unknown): Promise<string | undefined> {
    const found = this.resolve(arg);
    if (!found) return undefined;
    const url = profileUrl(found.org.account.site, found.user.user_id);
    await vscode.env.openExternal(vscode.Uri.parse(url));
    return url;
  }

  private async sendDirectMessage(arg: unknown): Promise<string | undefined> {
    const found = this.resolve(arg);
    if (!found) return undefined;
    const url = directMessageUrl(found.org.account.site, found.user);
    await vscode.env.openExternal(vscode.Uri.parse(url));
    return url;
  }
}
