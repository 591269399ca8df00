// "Zulip: Find Member…": a quick pick over an organization's members, filtered by the member
// index on each keystroke (at most a couple of hundred items, whatever the organization's size),
// with a server lookup for ids and emails nobody in the index has. Choosing opens the profile
// panel; item buttons copy the mention or the email.
import * as vscode from 'vscode';
import { statusSummary } from '../views/statusText';
import { Delayer } from '../common/delayer';
import { findMembers } from '../model/findMembers';
import { botTypeLabel, realEmail, roleLabel } from '../model/memberInfo';
import { describeTarget, lookUpMember, lookupNote, type LookupTarget } from '../model/memberLookup';
import type { MemberRef } from '../model/memberRef';
import type { Organization } from '../model/organization';
import type { Organizations } from '../model/organizations';
import { avatarUri, type AvatarFiles } from '../views/avatarUri';
import { escapeThemeIcons } from '../text/iconText';
import { inertMessage } from '../text/notificationText';
import type { User } from '../zulip/types';
import { pickOrganization } from './pickOrganization';

export interface FindMemberArgs {
  accountId?: string;
  /** Text to start with, as if typed. */
  value?: string;
}

const MAX_ITEMS = 200;
const REFRESH_DELAY_MS = 100;
/** Rows whose missing avatars are fetched: about what the list shows without scrolling. */
const AVATARS_FETCHED = 20;

export type MemberPickItem = vscode.QuickPickItem &
  ({ type: 'member'; user: User } | { type: 'lookup'; target: LookupTarget } | { type: 'message' });

/** The item buttons, made once the display language is known (at the first Find Member). */
let itemButtons: { copyMention: vscode.QuickInputButton; copyEmail: vscode.QuickInputButton } | undefined;
function buttons(): { copyMention: vscode.QuickInputButton; copyEmail: vscode.QuickInputButton } {
  itemButtons ??= {
    copyMention: { iconPath: new vscode.ThemeIcon('mention'), tooltip: vscode.l10n.t('Copy mention') },
    copyEmail: { iconPath: new vscode.ThemeIcon('mail'), tooltip: vscode.l10n.t('Copy email') },
  };
  return itemButtons;
}

export class FindMemberCommand {
  /** The quick pick on screen, if any (integration tests drive it). */
  current?: vscode.QuickPick<MemberPickItem>;

  constructor(
    private readonly organizations: Organizations,
    private readonly avatars?: AvatarFiles,
  ) {}

  register(): vscode.Disposable[] {
    return [vscode.commands.registerCommand('zulip.findMember', (args?: FindMemberArgs) => this.run(args))];
  }

  /** Resolves when the quick pick closes: with the member whose profile was opened, if any. */
  async run(args: FindMemberArgs = {}): Promise<MemberRef | undefined> {
    const org = await pickOrganization(
      this.organizations,
      { signInFirst: vscode.l10n.t('Sign in to a Zulip organization to find a member.'), title: vscode.l10n.t('Zulip: Find Member') },
      args.accountId,
    );
    if (!org) return undefined;
    const pick = new MemberPick(org, this.avatars);
    this.current = pick.quickPick;
    try {
      return await pick.show(args.value ?? '');
    } finally {
      if (this.current === pick.quickPick) this.current = undefined;
    }
  }
}

/**
 * Turns off the quick pick's re-sorting by label match. `sortByLabel` is the proposed
 * `quickPickSortByLabel` API, absent from the stable typings of VS Code 1.100, yet VS Code 1.100
 * already honours it from any extension; on a VS Code without it the assignment does nothing.
 */
export function keepItemOrder(pick: vscode.QuickPick<vscode.QuickPickItem>): void {
  Object.assign(pick, { sortByLabel: false });
}

/** One open quick pick and its state. */
class MemberPick {
  readonly quickPick = vscode.window.createQuickPick<MemberPickItem>();
  private readonly disposables: vscode.Disposable[] = [this.quickPick];
  private lookingUp?: string;
  private opening = false;
  private closed = false;
  private done?: (target: MemberRef | undefined) => void;
  /** Members, states and avatars arriving in bursts refresh the items once. */
  private readonly refreshSoon = new Delayer(() => this.update(), REFRESH_DELAY_MS);
  /** The server refused the lookup of this text. */
  private refusal?: { value: string; message: string };
  /** The text the items were made for. */
  private shownValue?: string;

  constructor(
    private readonly org: Organization,
    private readonly avatars?: AvatarFiles,
  ) {
    const pick = this.quickPick;
    pick.title = vscode.l10n.t('Find a member of {0}', escapeThemeIcons(org.name));
    pick.placeholder = vscode.l10n.t('Name, email address or user id');
    // The member index filters; VS Code's own matching would only hide what it found.
    pick.matchOnDescription = false;
    pick.matchOnDetail = false;
    // The items come ranked (an exact id first); VS Code would otherwise move the labels that best
    // match the typed text to the top, putting "Member 00026" (user 1026) above user 26 for "26".
    keepItemOrder(pick);
  }

  show(value: string): Promise<MemberRef | undefined> {
    const pick = this.quickPick;
    return new Promise((resolve) => {
      this.done = resolve;
      this.disposables.push(
        pick.onDidChangeValue(() => this.update()),
        pick.onDidAccept(() => void this.accept()),
        pick.onDidTriggerItemButton((event) => this.button(event.item, event.button)),
        // Members arriving (first load, a burst of events) refresh what is shown, once.
        this.org.onDidChangeMembers(() => this.refreshSoon.schedule()),
        this.org.onDidChangeState(() => this.refreshSoon.schedule()),
        // An avatar asked for below has arrived: show the file.
        ...(this.avatars ? [this.avatars.onDidLoad(() => this.refreshSoon.schedule())] : []),
        pick.onDidHide(() => {
          this.closed = true;
          this.refreshSoon.cancel();
          for (const d of this.disposables) d.dispose();
          if (!this.opening) resolve(undefined);
        }),
      );
      pick.value = value;
      // Shown first, filled right after: with 100,000 members the first search builds its index.
      pick.busy = true;
      pick.show();
      setImmediate(() => this.update());
    });
  }

  private get accountId(): string {
    return this.org.id;
  }

  private update(): void {
    if (this.closed) return;
    const { users, lookup } = findMembers(this.org.members, this.quickPick.value, MAX_ITEMS);
    const items: MemberPickItem[] = users.map((user, index) => this.memberItem(user, index < AVATARS_FETCHED));
    if (this.refusal?.value === this.quickPick.value) {
      // The server's answer for this text stays on top until the text changes.
      items.unshift({ type: 'message', label: `$(error) ${vscode.l10n.t('Not found')}`, detail: escapeThemeIcons(this.refusal.message), alwaysShow: true });
    } else if (lookup) {
      // An id or address nobody loaded has: asking the server is the likeliest wish.
      items.unshift(this.lookupItem(lookup));
    }
    const state = this.org.state;
    if (items.length === 0 && this.org.members.size === 0 && state.kind !== 'loading') {
      const reason = state.kind === 'ready' ? vscode.l10n.t('No members are loaded.') : state.reason;
      items.push({ type: 'message', label: `$(warning) ${vscode.l10n.t('No members to show')}`, detail: escapeThemeIcons(reason), alwaysShow: true });
    }
    this.quickPick.busy = state.kind === 'loading' || this.lookingUp !== undefined;
    // A refresh for the same text (members or avatars arriving) keeps the row someone is on.
    const sameText = this.shownValue === this.quickPick.value;
    const active = this.quickPick.activeItems[0];
    this.quickPick.keepScrollPosition = sameText;
    this.quickPick.items = items;
    this.shownValue = this.quickPick.value;
    if (sameText && active?.type === 'member') {
      const again = items.find((i) => i.type === 'member' && i.user.user_id === active.user.user_id);
      if (again) this.quickPick.activeItems = [again];
    }
  }

  private memberItem(user: User, fetchAvatar: boolean): MemberPickItem {
    const facts = [user.is_bot ? (botTypeLabel(user) ?? vscode.l10n.t('Bot')) : roleLabel(user)];
    if (!user.is_active) facts.push(vscode.l10n.t('Deactivated'));
    facts.push(vscode.l10n.t('user id {0}', user.user_id));
    // The status is the member's own text: shown as typed, never as an icon.
    const status = statusSummary(this.org.statuses.get(user.user_id));
    if (status) facts.unshift(escapeThemeIcons(status));
    const email = realEmail(user);
    return {
      type: 'member',
      user,
      // Shown as typed: a name like "$(sign-out)" is no icon.
      label: escapeThemeIcons(user.full_name || vscode.l10n.t('User {0}', user.user_id)),
      description: email === undefined ? undefined : escapeThemeIcons(email),
      detail: facts.join(' · '),
      iconPath: avatarUri(this.org.account.site, user, this.avatars, fetchAvatar),
      buttons: email ? [buttons().copyMention, buttons().copyEmail] : [buttons().copyMention],
      alwaysShow: true,
    };
  }

  private lookupItem(target: LookupTarget): MemberPickItem {
    const level = this.org.settings?.zulip_feature_level ?? this.org.account.featureLevel;
    return {
      type: 'lookup',
      target,
      label: `$(cloud) ${vscode.l10n.t('Look up {0} on the server', describeTarget(target))}`,
      detail: escapeThemeIcons(lookupNote(target, level) ?? vscode.l10n.t('No loaded member of {0} matches; ask {1}.', this.org.name, this.org.account.site)),
      alwaysShow: true,
    };
  }

  private async accept(): Promise<void> {
    const item = this.quickPick.activeItems[0] ?? this.quickPick.selectedItems[0];
    if (!item || this.lookingUp !== undefined) return;
    if (item.type === 'member') return this.open(item.user.user_id);
    if (item.type === 'lookup') return this.lookUp(item.target);
  }

  private async lookUp(target: LookupTarget): Promise<void> {
    const query = this.quickPick.value;
    this.lookingUp = query;
    this.update();
    const result = await lookUpMember(this.org.client, target, this.org.name);
    this.lookingUp = undefined;
    // Closed meanwhile: the person no longer wants it.
    if (this.closed) return;
    // Typed on meanwhile: that query's items are what matters now.
    if (this.quickPick.value !== query) return this.update();
    if (!result.ok) {
      this.refusal = { value: query, message: result.message };
      return this.update();
    }
    // So every view, the profile panel included, knows the member.
    this.org.addLookedUpMember(result.user);
    await this.open(result.user.user_id);
  }

  private async open(userId: number): Promise<void> {
    const target: MemberRef = { accountId: this.accountId, userId };
    this.opening = true;
    this.quickPick.hide();
    try {
      await vscode.commands.executeCommand('zulip.openProfile', target);
      this.done?.(target);
    } catch (error) {
      void vscode.window.showErrorMessage(inertMessage(vscode.l10n.t('Zulip: could not open the profile: {0}', (error as Error).message ?? String(error))));
      this.done?.(undefined);
    }
  }

  private button(item: MemberPickItem, button: vscode.QuickInputButton): void {
    if (item.type !== 'member') return;
    const target: MemberRef = { accountId: this.accountId, userId: item.user.user_id };
    void vscode.commands.executeCommand(button === buttons().copyEmail ? 'zulip.copyEmail' : 'zulip.copyMention', target);
  }
}
