// What mention diagnostics, quick fixes and the preview know of the signed-in organizations: the
// organizations (default first), their user groups (fetched once each, on first need), the
// signed-in user of each, and one event when any of it changes (debounced: a burst of member
// events makes one re-diagnosis). No vscode import: the providers wrap it.
import { Delayer } from '../common/delayer';
import { Emitter } from '../common/emitter';
import type { Organization } from '../model/organization';
import type { Organizations } from '../model/organizations';
import type { DiagnosticsContext } from '../model/mentionDiagnostics';
import { documentOptionsFor, type DocumentOptions } from '../model/mentionDocument';
import type { MembersChange } from '../model/memberIndex';
import type { UserGroup, User } from '../zulip/types';

/** Member events arriving within this window cause one re-diagnosis. */
export const MEMBER_CHANGE_DEBOUNCE_MS = 200;

export interface MemberRename {
  org: Organization;
  user: User;
  oldName: string;
}

export class MentionEnvironment {
  private readonly loading = new Set<Organization>();
  /** Organizations asked for their cross-realm bots (once each: a failure is not asked again on every keystroke). */
  private readonly botsAsked = new WeakSet<Organization>();
  private readonly changed = new Emitter<void>();
  private readonly renamed = new Emitter<MemberRename[]>();
  /** Members, groups or organizations changed (debounced). */
  readonly onDidChange = this.changed.event;
  /** Members were renamed (full_name changed): with the names they had. */
  readonly onDidRename = this.renamed.event;
  /** Member changes in a burst are told once. */
  private readonly changes = new Delayer(() => this.changed.fire(), MEMBER_CHANGE_DEBOUNCE_MS, { restartOnCall: true });
  private subscriptions: { dispose(): void }[] = [];
  private readonly orgSubscription: { dispose(): void };
  /** The names members had when last seen, per organization: what a rename changed from. */
  private readonly names = new Map<Organization, Map<number, string>>();

  constructor(private readonly organizations: Organizations) {
    this.orgSubscription = organizations.onDidChange(() => {
      this.subscribe();
      this.schedule();
    });
    this.subscribe();
  }

  context(): DiagnosticsContext<Organization> {
    return {
      orgs: this.organizations.list(),
      groupsOf: (org) => this.groupsOf(org),
      selfUserIdOf: (org) => org.account.userId,
      crossRealmBotsOf: (org, needed) => this.crossRealmBotsOf(org, needed),
    };
  }

  /** How documents are read: the default organization's default code block language. */
  documentOptions(): DocumentOptions {
    return documentOptionsFor(this.organizations.list()[0]);
  }

  /**
   * The server's own bots if known; when `needed` (a name no member has), asks for them once and
   * reports a change when they arrive, so "unknown" turns into the bot.
   */
  private crossRealmBotsOf(org: Organization, needed: boolean): readonly User[] | undefined {
    if (org.loadedCrossRealmBots || !needed || org.state.kind !== 'ready' || this.botsAsked.has(org)) return org.loadedCrossRealmBots;
    this.botsAsked.add(org);
    org.crossRealmBots().then(
      () => this.schedule(),
      () => undefined,
    );
    return undefined;
  }

  /** The groups if loaded; otherwise starts loading them and reports a change when they arrive. */
  groupsOf(org: Organization): readonly UserGroup[] | undefined {
    // Kept live by user_group events since the registration, or fetched once: no need to ask.
    const groups = org.knownGroups();
    if (groups || this.loading.has(org) || org.state.kind !== 'ready') return groups;
    this.loading.add(org);
    org.userGroups().then(
      () => {
        this.loading.delete(org);
        this.schedule();
      },
      () => this.loading.delete(org),
    );
    return undefined;
  }

  private subscribe(): void {
    for (const s of this.subscriptions) s.dispose();
    const orgs = this.organizations.list();
    for (const org of [...this.names.keys()]) if (!orgs.includes(org)) this.names.delete(org);
    this.subscriptions = orgs.flatMap((org) => [
      org.onDidChangeMembers((change) => this.membersChanged(org, change)),
      org.onDidChangeState(() => this.schedule()),
      org.onDidChangeRealm(() => this.schedule()),
      org.groupStore.onDidChange(() => this.schedule()),
    ]);
  }

  private membersChanged(org: Organization, change: MembersChange): void {
    const known = this.names.get(org);
    if (change.reset || !known) {
      this.names.set(org, new Map([...org.members.all()].map((u) => [u.user_id, u.full_name])));
    } else {
      const renames: MemberRename[] = [];
      for (const id of change.userIds) {
        const user = org.members.get(id);
        const oldName = known.get(id);
        if (user && oldName !== undefined && oldName !== user.full_name) renames.push({ org, user, oldName });
        if (user) known.set(id, user.full_name);
        else known.delete(id);
      }
      if (renames.length) this.renamed.fire(renames);
    }
    this.schedule();
  }

  /** Remembers current names so a later rename can say what it changed from. */
  rememberNames(): void {
    for (const org of this.organizations.list()) if (!this.names.has(org)) this.names.set(org, new Map([...org.members.all()].map((u) => [u.user_id, u.full_name])));
  }

  private schedule(): void {
    this.changes.schedule();
  }

  dispose(): void {
    this.changes.dispose();
    this.orgSubscription.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
    this.renamed.dispose();
  }
}
