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

/** How long the status bar says what was copied. */
const COPIED_MESSAGE_MS = 3000;

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
      void vscode.window.showInformationMessage(vscode.l10n.t('Choose a member in the Zulip Members view first.'));
      return undefined;
    }
    const org = this.organizations.get(ref.accountId);
    if (!org) {
      void vscode.window.showWarningMessage(vscode.l10n.t('That member belongs to an organization you are not signed in to.'));
      return undefined;
    }
    const user = org.members.get(ref.userId);
    if (!user) {
      void vscode.window.showWarningMessage(inertMessage(vscode.l10n.t('{0} has no member with id {1}.', org.name, ref.userId)));
      return undefined;
    }
    if (isDeleted(user)) {
      // Zulip offers no actions on a deleted account: nothing to open, mention or message.
      void vscode.window.showInformationMessage(inertMessage(vscode.l10n.t('User {0} of {1} was deleted: there is nothing to open or mention.', user.user_id, org.name)));
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
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', text), COPIED_MESSAGE_MS);
    return text;
  }

  private async copyEmail(arg: unknown): Promise<string | undefined> {
    const found = this.resolve(arg);
    if (!found) return undefined;
    const email = realEmail(found.user);
    if (!email) {
      void vscode.window.showInformationMessage(inertMessage(vscode.l10n.t("{0}'s email address is not visible to you.", found.user.full_name)));
      return undefined;
    }
    await vscode.env.clipboard.writeText(email);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', email), COPIED_MESSAGE_MS);
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
