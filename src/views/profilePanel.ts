// The profile panel: one webview panel, reused, showing one member; it follows live changes to
// that member (and to the members it names), and comes back after a window reload from the
// account id and user id its page saved. The page itself is built by profileHtml.ts.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { displayLanguage } from '../platform/displayLanguage';
import type { MembersChange } from '../model/memberIndex';
import { parseMemberRef, type MemberRef } from '../model/memberRef';
import { lastActiveTextOf } from '../model/lastActive';
import type { Organization } from '../model/organization';
import type { Organizations } from '../model/organizations';
import { ProfileFieldType, type User } from '../zulip/types';
import { buildMessageBody, buildProfileBody, buildProfilePage, imageSources, missingMemberMessage, profileAvatar } from './profileHtml';
import { parseProfileMessage } from './profileMessages';
import { sortGroups } from './groupTreeModel';
import { groupsOfMember } from '../model/userGroups';
import { statusEmojiImageUrl } from '../model/customEmoji';

export const PROFILE_VIEW_TYPE = 'zulip.profile';

export interface ShownProfile {
  member?: MemberRef;
  panel?: vscode.WebviewPanel;
  html?: string;
  body?: string;
}

/** The one profile panel, reused for each member shown. */
export class ProfilePanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private target?: MemberRef;
  private panelSubscriptions: vscode.Disposable[] = [];
  private orgSubscriptions: { dispose(): void }[] = [];
  private boundOrg?: Organization;
  /** The body the page should show now. */
  private desiredBody = '';
  /** The avatar the desired body shows: the page's image sources depend on it. */
  private desiredAvatar?: string;
  /** The image sources of the page's CSP, as set with its html. */
  private shownImageSources?: string;
  /** The body the page shows (set with the html, or sent in a message since). */
  private shownBody?: string;
  /** The body inside webview.html (what a hidden-then-shown page comes back with). */
  private htmlBody?: string;
  private presenceWatch?: { dispose(): void };
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly organizations: Organizations,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(PROFILE_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state) => Promise.resolve(this.restore(panel, state)),
      }),
      { dispose: organizations.onDidChange(() => this.bindOrganization()).dispose },
    );
  }

  /**
   * What the panel shows now: the member, the panel, its page, and the body the page shows
   * including live updates sent since the page was set. Read through the test API.
   */
  shown(): ShownProfile {
    return { member: this.target && { ...this.target }, panel: this.panel, html: this.panel?.webview.html, body: this.shownBody };
  }

  /** Opens (or reuses) the panel for a member; `beside` opens it next to the active editor. */
  show(target: MemberRef, options: { beside?: boolean; preserveFocus?: boolean } = {}): void {
    const beside = options.beside ?? vscode.workspace.getConfiguration('zulip.profile').get<boolean>('openBeside', false);
    if (!this.panel) {
      const column = beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
      this.adopt(vscode.window.createWebviewPanel(PROFILE_VIEW_TYPE, vscode.l10n.t('Zulip Profile'), { viewColumn: column, preserveFocus: options.preserveFocus }, this.webviewOptions()));
    } else {
      // reveal(Beside) leaves a panel where it is when its own group is the active one: name the
      // group to the right of the active group instead.
      const active = vscode.window.tabGroups.activeTabGroup.viewColumn;
      const column = beside ? (Math.min(vscode.ViewColumn.Nine, active + 1) as vscode.ViewColumn) : this.panel.viewColumn;
      this.panel.reveal(column, options.preserveFocus);
    }
    this.setTarget(target);
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private restore(panel: vscode.WebviewPanel, state: unknown): void {
    const target = parseMemberRef(state);
    if (!target) {
      panel.dispose();
      return;
    }
    panel.webview.options = this.webviewOptions();
    this.adopt(panel);
    this.setTarget(target);
  }

  /** Makes a panel the one this class drives (one at a time). */
  private adopt(panel: vscode.WebviewPanel): void {
    if (this.panel && this.panel !== panel) this.panel.dispose();
    this.panel = panel;
    this.htmlBody = undefined;
    this.shownBody = undefined;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'zulip.svg');
    let wasVisible = panel.visible;
    this.panelSubscriptions = [
      panel.webview.onDidReceiveMessage((message) => void this.onMessage(message)),
      panel.onDidChangeViewState(() => {
        // A page hidden and shown again was rebuilt from webview.html.
        if (panel.visible && !wasVisible) this.shownBody = this.htmlBody;
        wasVisible = panel.visible;
        this.deliver();
        this.watchPresence();
      }),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.target = undefined;
        for (const d of this.panelSubscriptions) d.dispose();
        this.unbindOrganization();
      }),
    ];
  }

  private setTarget(target: MemberRef): void {
    this.target = { accountId: target.accountId, userId: target.userId };
    this.bindOrganization();
    // A server that sent no presence at registration: ask for this one member's (once per showing).
    const org = this.organizations.get(target.accountId);
    if (org?.presence.supported === false) void org.lookupPresence(target.userId).catch(() => false);
  }

  // ---- Following live changes ----

  private bindOrganization(): void {
    const target = this.target;
    const org = target ? this.organizations.get(target.accountId) : undefined;
    if (org !== this.boundOrg) {
      this.unbindOrganization();
      this.boundOrg = org;
      if (org) {
        this.orgSubscriptions = [
          org.onDidChangeMembers((change) => {
            if (this.concerns(org, change)) this.update();
          }),
          org.onDidChangeProfileFields(() => this.update()),
          org.presence.onDidChange(() => this.update()),
          org.statuses.onDidChange((ids) => {
            if (this.target && ids.includes(this.target.userId)) this.update();
          }),
          org.onDidChangeState(() => this.update()),
          org.groupStore.onDidChange(() => this.update()),
        ];
      }
    }
    this.watchPresence();
    this.update();
  }

  private unbindOrganization(): void {
    this.unwatchPresence();
    for (const s of this.orgSubscriptions) s.dispose();
    this.orgSubscriptions = [];
    this.boundOrg = undefined;
  }

  /** Whether a change touches the shown member or a member the page names (owner, users fields). */
  private concerns(org: Organization, change: MembersChange): boolean {
    if (change.reset || !this.target) return true;
    const user = org.members.get(this.target.userId);
    const named = new Set<number>([this.target.userId]);
    if (user?.bot_owner_id) named.add(user.bot_owner_id);
    for (const field of org.profileFields) {
      if (field.type !== ProfileFieldType.Users) continue;
      try {
        const ids: unknown = JSON.parse(user?.profile_data?.[String(field.id)]?.value ?? '[]');
        if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'number') named.add(id);
      } catch {
        // Not a list: nothing named.
      }
    }
    return change.userIds.some((id) => named.has(id));
  }

  /** Presence is kept current while the panel is visible. */
  private watchPresence(): void {
    const visible = this.panel?.visible ?? false;
    if (visible && !this.presenceWatch && this.boundOrg) {
      this.presenceWatch = this.boundOrg.presence.watch();
    } else if (!visible && this.presenceWatch) {
      this.unwatchPresence();
    }
  }

  private unwatchPresence(): void {
    this.presenceWatch?.dispose();
    this.presenceWatch = undefined;
  }

  private currentUser(): { org: Organization; user: User } | undefined {
    if (!this.target) return undefined;
    const org = this.organizations.get(this.target.accountId);
    const user = org?.members.get(this.target.userId);
    return org && user ? { org, user } : undefined;
  }

  /** Rebuilds the body from current data and shows it if it changed. */
  private update(): void {
    const panel = this.panel;
    const target = this.target;
    if (!panel || !target) return;
    const org = this.organizations.get(target.accountId);
    const user = org?.members.get(target.userId);
    let title = vscode.l10n.t('Zulip Profile');
    this.desiredAvatar = org && user ? profileAvatar(user, org.account.site) : undefined;
    if (!org) {
      this.desiredBody = buildMessageBody(target.accountId, target.userId, vscode.l10n.t('This profile belongs to an organization you are not signed in to.'));
    } else if (!user) {
      const loading = org.state.kind === 'loading';
      this.desiredBody = buildMessageBody(
        target.accountId,
        target.userId,
        loading ? vscode.l10n.t('Loading members of {0}…', org.name) : missingMemberMessage(org.name, target.userId, org.members.get(org.account.userId)?.is_guest === true),
        !loading,
      );
    } else {
      title = user.full_name;
      this.desiredBody = buildProfileBody({
        accountId: org.id,
        site: org.account.site,
        user,
        fields: org.profileFields,
        member: (id) => org.members.get(id),
        presence: org.presence.stateOf(user),
        lastActive: lastActiveTextOf(org.presence, user, displayLanguage()),
        status: org.statuses.get(user.user_id),
        statusEmojiImage: statusEmojiImageUrl(org.statuses.get(user.user_id), org.realmEmoji, org.account.site),
        groups: sortGroups(groupsOfMember(user.user_id, org.groupStore.all()), false).filter((group) => group.name !== 'role:internet'),
        locale: displayLanguage(),
      });
    }
    panel.title = title;
    this.deliver();
  }

  /** Sends the desired body to a visible page: by message when a page is loaded, else as new html. */
  private deliver(): void {
    const panel = this.panel;
    if (!panel || !panel.visible || this.desiredBody === this.shownBody) return;
    // An avatar moving to or from Gravatar needs another CSP: only new html sets one.
    if (this.shownBody === undefined || this.shownImageSources !== this.imageSourcesKey()) {
      this.setHtml(this.desiredBody);
      return;
    }
    this.shownBody = this.desiredBody;
    void panel.webview.postMessage({ command: 'render', body: this.desiredBody, title: panel.title });
  }

  private site(): string | undefined {
    return this.target ? this.organizations.get(this.target.accountId)?.account.site : undefined;
  }

  private imageSourcesKey(): string {
    return imageSources('', this.site(), this.desiredAvatar).join(' ');
  }

  private setHtml(body: string): void {
    const panel = this.panel!;
    const webview = panel.webview;
    webview.html = buildProfilePage(body, {
      cspSource: webview.cspSource,
      nonce: randomBytes(24).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'profile.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'profile.css')).toString(),
      site: this.site(),
      avatar: this.desiredAvatar,
      title: panel.title,
      lang: displayLanguage(),
    });
    this.shownImageSources = this.imageSourcesKey();
    this.htmlBody = body;
    this.shownBody = body;
  }

  // ---- What the page asks ----

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseProfileMessage(raw);
    const current = this.currentUser();
    if (!message) {
      this.log(`Profile page sent an unknown message; ignored.`);
      return;
    }
    if (!this.target) return;
    const ref = { accountId: this.target.accountId, userId: this.target.userId };
    switch (message.command) {
      case 'openProfile':
        // Only members of the same organization that exist.
        if (current?.org.members.get(message.userId)) this.show({ accountId: ref.accountId, userId: message.userId }, { beside: false });
        return;
      case 'refresh': {
        const org = this.organizations.get(ref.accountId);
        try {
          await org?.refresh();
        } catch {
          // The organization's state (shown on the page and in the tree) says what went wrong.
        }
        this.update();
        return;
      }
      case 'copyMention':
        await vscode.commands.executeCommand('zulip.copyMention', ref);
        return;
      case 'copyEmail':
        await vscode.commands.executeCommand('zulip.copyEmail', ref);
        return;
      case 'openInZulip':
        await vscode.commands.executeCommand('zulip.openInZulip', ref);
        return;
      case 'sendDirectMessage':
        await vscode.commands.executeCommand('zulip.sendDirectMessage', ref);
        return;
    }
  }

  dispose(): void {
    this.panel?.dispose();
    this.unbindOrganization();
    for (const d of this.subscriptions) d.dispose();
  }
}
