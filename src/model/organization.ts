// One signed-in organization: its settings, custom profile fields, member index, presence
// (presence.ts) and user groups, kept current by the event queue, and the last good member list cached on disk
// (no secrets) so a window opened offline still shows it. Plain Node: no vscode import.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { withUserDefaults, type ZulipClient } from '../zulip/client';
import { ZulipError, describeError, recoveryOf } from '../zulip/errors';
import type { CustomProfileField, RegisterResponse, ServerSettings, User, UserGroup, ZulipEvent } from '../zulip/types';
import type { Account } from './accountStore';
import { Emitter } from '../common/emitter';
import { backoffDelay, EventQueue } from './eventQueue';
import { MemberIndex, type MembersChange } from './memberIndex';
import { Presence } from './presence';
import { UserGroups } from './userGroups';
import { UserStatuses } from './userStatus';

/** Feature levels that change what the queue is registered with (API-NOTES.md). */
const FEATURE_MODERN_PRESENCE = 263;
const FEATURE_INCLUDE_DEACTIVATED_GROUPS = 294;
const FEATURE_SIMPLIFIED_PRESENCE_EVENTS = 419;

/** The least time between two extra asks for the groups. */
const GROUPS_REFRESH_MS = 60_000;

/** What the queue listens to, and what of it /register sends as initial state. */
export const EVENT_TYPES = ['realm_user', 'custom_profile_fields', 'presence', 'user_status', 'realm_user_groups', 'user_group'];
export const FETCH_EVENT_TYPES = ['presence', 'user_status', 'realm_user_groups'];

/** The registration's extra parameters at a feature level: modern presence and capabilities only where the server has them. */
export function registerOptionsFor(featureLevel: number): { fetchEventTypes: string[]; slimPresence: boolean; clientCapabilities: Record<string, boolean> } {
  const clientCapabilities: Record<string, boolean> = {};
  if (featureLevel >= FEATURE_SIMPLIFIED_PRESENCE_EVENTS) clientCapabilities.simplified_presence_events = true;
  if (featureLevel >= FEATURE_INCLUDE_DEACTIVATED_GROUPS) clientCapabilities.include_deactivated_groups = true;
  return { fetchEventTypes: FETCH_EVENT_TYPES, slimPresence: featureLevel >= FEATURE_MODERN_PRESENCE, clientCapabilities };
}

export type OrganizationState =
  /** Nothing to show yet. */
  | { kind: 'loading' }
  | { kind: 'ready' }
  /** Showing the last good list (from memory or disk) while the server cannot be reached. */
  | { kind: 'stale'; reason: string; since: number; fromDisk: boolean }
  /** Nothing to show, and the server cannot be reached. */
  | { kind: 'offline'; reason: string }
  /** The server refused the key; `serverMsg` is its own words ("Account is deactivated"). */
  | { kind: 'needsSignIn'; reason: string; serverMsg?: string };

export interface OrganizationOptions {
  /** Folder for this extension's cached data; the organization uses a subfolder of its own. */
  cacheDir?: string;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Event-queue backoff bounds (tests shorten them). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** While watched, presence views hear a tick this often (default PRESENCE_TICK_MS). */
  presenceTickMs?: number;
}

interface CachedOrganization {
  version: 1;
  savedAt: number;
  settings?: ServerSettings;
  profileFields: CustomProfileField[];
  members: User[];
}

export class Organization {
  readonly members = new MemberIndex();
  settings?: ServerSettings;
  profileFields: CustomProfileField[] = [];
  private groups?: Promise<readonly UserGroup[]>;
  private stateValue: OrganizationState = { kind: 'loading' };
  private queue?: EventQueue;
  private saveTimer?: NodeJS.Timeout;
  /** A failed refresh tries again by itself, with backoff. */
  private retryTimer?: NodeJS.Timeout;
  private refreshFailures = 0;
  private disposed = false;

  private readonly membersChanged = new Emitter<MembersChange>();
  private readonly stateChanged = new Emitter<OrganizationState>();
  private readonly fieldsChanged = new Emitter<void>();
  readonly onDidChangeMembers = this.membersChanged.event;
  readonly onDidChangeState = this.stateChanged.event;
  readonly onDidChangeProfileFields = this.fieldsChanged.event;

  readonly presence: Presence;
  /** Members' statuses, live. */
  readonly statuses = new UserStatuses();
  /** User groups, live (when the server sends them at registration). */
  readonly groupStore = new UserGroups();

  constructor(
    readonly account: Account,
    readonly client: ZulipClient,
    private readonly options: OrganizationOptions = {},
  ) {
    this.presence = new Presence({ tickMs: options.presenceTickMs });
  }

  /** The server's feature level as last heard (settings, else the account's record). */
  get featureLevel(): number {
    return this.settings?.zulip_feature_level ?? this.account.featureLevel ?? 0;
  }

  get state(): OrganizationState {
    return this.stateValue;
  }

  get id(): string {
    return this.account.id;
  }

  /** The realm's name, as the server calls it now. */
  get name(): string {
    return this.settings?.realm_name || this.account.realmName;
  }

  /** This organization's cache folder (named by a hash: the id holds the email). */
  get cacheFolder(): string | undefined {
    if (!this.options.cacheDir) return undefined;
    return path.join(this.options.cacheDir, 'organizations', createHash('sha256').update(this.account.id).digest('hex').slice(0, 24));
  }

  /**
   * Shows the cached list at once if there is one, then registers the event queue and loads from
   * the server. Resolves when the first load from the server succeeded or failed.
   */
  async start(): Promise<void> {
    await this.loadFromDisk();
    await this.startQueue();
  }

  /** Registers an event queue and loads; resolves when that first load succeeded or failed. */
  private startQueue(): Promise<void> {
    let firstLoad: (() => void) | undefined;
    const loaded = new Promise<void>((resolve) => (firstLoad = resolve));
    this.queue = new EventQueue(
      this.client,
      {
        onRegistered: async (registration) => {
          await this.fetchAll();
          this.applyRegistration(registration);
          firstLoad?.();
        },
        onEvents: (events) => this.applyEvents(events),
        onError: (error, retryInMs) => {
          this.fail(error, retryInMs);
          firstLoad?.();
        },
        onRecovered: () => this.setState({ kind: 'ready' }),
      },
      {
        eventTypes: EVENT_TYPES,
        registerOptions: () => registerOptionsFor(this.featureLevel),
        minBackoffMs: this.options.minBackoffMs,
        maxBackoffMs: this.options.maxBackoffMs,
      },
    );
    // Disposed before the first load (signed out, replaced): the loop ends and so does the wait.
    void this.queue.start().finally(() => firstLoad?.());
    return loaded;
  }

  /**
   * Refetches everything now (the Refresh and Retry actions). A failure keeps the last good list
   * and is tried again with backoff until it succeeds: the event queue may be fine meanwhile and
   * would never clear the stale mark.
   */
  async refresh(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    // The queue stopped on an answer that would not change: asking again starts it over.
    if (this.queue?.stopped && !this.disposed && this.stateValue.kind !== 'needsSignIn') return this.startQueue();
    try {
      await this.fetchAll();
    } catch (error) {
      this.fail(error, this.retryRefreshLater(error));
      throw error;
    }
  }

  /** Schedules the next try of a failed refresh; none after a 401 (only a sign-in helps) or an answer that will not change. */
  private retryRefreshLater(error: unknown): number | undefined {
    if (this.disposed || recoveryOf(error) !== 'retry') return undefined;
    this.refreshFailures++;
    const delay = backoffDelay(this.refreshFailures, this.options.minBackoffMs ?? 1000, this.options.maxBackoffMs ?? 60_000, Math.random);
    this.retryTimer = setTimeout(() => void this.refresh().catch(() => undefined), delay);
    this.retryTimer.unref?.();
    return delay;
  }

  private async fetchAll(): Promise<void> {
    const [settings, fields, users] = await Promise.all([
      this.client.getServerSettings(),
      this.client.getProfileFields(),
      this.client.getUsers({ clientGravatar: true, includeCustomProfileFields: true }),
    ]);
    if (this.disposed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.refreshFailures = 0;
    this.settings = settings;
    const fieldsChanged = JSON.stringify(fields) !== JSON.stringify(this.profileFields);
    this.profileFields = fields;
    this.membersChanged.fire(this.members.reset(users));
    if (fieldsChanged) this.fieldsChanged.fire();
    this.setState({ kind: 'ready' });
    this.scheduleSave(0);
  }

  /** Initial presence, statuses and groups from a registration; a server that sends none says so once. */
  private applyRegistration(registration: RegisterResponse): void {
    if (this.disposed) return;
    this.presence.reset(registration);
    this.statuses.reset(registration.user_status);
    if (Array.isArray(registration.realm_user_groups)) {
      this.groupStore.reset(registration.realm_user_groups);
    }
    const missing = [
      registration.presences === undefined ? 'presence' : undefined,
      registration.user_status === undefined ? 'user status' : undefined,
      registration.realm_user_groups === undefined ? 'user groups' : undefined,
    ].filter(Boolean);
    if (missing.length) this.options.log?.('info', `${this.account.site} (feature level ${this.featureLevel}) sends no ${missing.join(', ')} at registration; not shown.`);
  }

  private fail(error: unknown, retryInMs: number | undefined): void {
    const reason = describeError(error);
    this.options.log?.('warn', `${this.account.site}: ${reason}${retryInMs !== undefined ? ` (retrying in ${Math.round(retryInMs / 1000)} s)` : ''}`);
    if (recoveryOf(error) === 'signIn' && error instanceof ZulipError) {
      this.setState({ kind: 'needsSignIn', reason, serverMsg: error.serverMsg });
      return;
    }
    if (this.members.size > 0) {
      const previous = this.stateValue;
      const since = previous.kind === 'stale' ? previous.since : Date.now();
      const fromDisk = previous.kind === 'stale' ? previous.fromDisk : false;
      this.setState({ kind: 'stale', reason, since, fromDisk });
    } else {
      this.setState({ kind: 'offline', reason });
    }
  }

  private setState(state: OrganizationState): void {
    if (JSON.stringify(state) === JSON.stringify(this.stateValue)) return;
    this.stateValue = state;
    this.stateChanged.fire(state);
  }

  /** Applies realm_user and custom_profile_fields events; each touches only what it names. */
  applyEvents(events: ZulipEvent[]): void {
    for (const event of events) {
      // One event that cannot be applied (a shape this version does not know) loses no other.
      try {
        this.applyEvent(event);
      } catch (error) {
        this.options.log?.('warn', `Could not apply a ${event.type} event: ${describeError(error)}`);
      }
    }
    this.scheduleSave(30_000);
  }

  private applyEvent(event: ZulipEvent): void {
    let change: MembersChange | undefined;
    if (event.type === 'realm_user') {
      const e = event as Extract<ZulipEvent, { type: 'realm_user'; op: 'add' | 'update' | 'remove' }>;
      // An added person has the fields of GET /users; fill the ones older servers leave out.
      if (e.op === 'add') change = this.members.add(withUserDefaults(e.person));
      else if (e.op === 'update') change = this.members.update(e.person);
      else if (e.op === 'remove') change = this.members.remove((e.person as { user_id: number }).user_id);
    } else if (event.type === 'presence') {
      this.presence.applyEvent(event);
    } else if (event.type === 'user_status') {
      this.statuses.applyEvent(event);
    } else if (event.type === 'user_group') {
      this.groupStore.applyEvent(event);
    } else if (event.type === 'custom_profile_fields') {
      const fields = (event as { fields?: CustomProfileField[] }).fields;
      if (Array.isArray(fields)) {
        this.profileFields = [...fields].sort((a, b) => a.order - b.order);
        this.fieldsChanged.fire();
      }
    }
    if (change) this.membersChanged.fire(change);
  }

  /**
   * A member the list lacks but a lookup found (an older server, a guest's limited view): known
   * to every view from now on, until the next full load decides. Not written to the disk cache,
   * which holds what the server's list holds.
   */
  addLookedUpMember(user: User): void {
    if (this.disposed || this.members.get(user.user_id)) return;
    this.membersChanged.fire(this.members.add(withUserDefaults(user)));
  }

  // ---- Groups ----

  private groupsAskedAt = 0;

  /**
   * Asks GET /user_groups again (at most once a minute) when a group named somewhere is not among
   * the live groups: the live list may have missed a group the server made without an event.
   */
  async refreshGroups(): Promise<void> {
    if (this.disposed || Date.now() - this.groupsAskedAt < GROUPS_REFRESH_MS) return;
    this.groupsAskedAt = Date.now();
    const groups = await this.client.getUserGroups();
    if (!this.disposed) this.groupStore.reset(groups);
  }

  /** The organization's user groups: live from the registration, else fetched once (GET /user_groups). */
  userGroups(): Promise<readonly UserGroup[]> {
    if (this.groupStore.isLoaded) return Promise.resolve(this.groupStore.all());
    this.groups ??= this.client.getUserGroups().catch((error) => {
      this.groups = undefined;
      throw error;
    });
    return this.groups;
  }

  // ---- Disk cache ----

  private async loadFromDisk(): Promise<void> {
    const folder = this.cacheFolder;
    if (!folder) return;
    try {
      const cached = JSON.parse(await readFile(path.join(folder, 'members.json'), 'utf8')) as CachedOrganization;
      if (cached.version !== 1 || !Array.isArray(cached.members) || this.members.size > 0) return;
      this.settings = cached.settings;
      this.profileFields = cached.profileFields ?? [];
      this.membersChanged.fire(this.members.reset(cached.members));
      this.setState({ kind: 'stale', reason: 'Showing the members saved when this organization was last reached.', since: cached.savedAt, fromDisk: true });
    } catch {
      // No cache yet, or an unreadable one: the server load decides.
    }
  }

  private scheduleSave(delayMs: number): void {
    if (!this.cacheFolder || this.disposed) return;
    if (this.saveTimer && delayMs > 0) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.saveToDisk();
    }, delayMs);
    this.saveTimer.unref?.();
  }

  async saveToDisk(): Promise<void> {
    const folder = this.cacheFolder;
    if (!folder || this.disposed) return;
    const data: CachedOrganization = {
      version: 1,
      savedAt: Date.now(),
      settings: this.settings,
      profileFields: this.profileFields,
      members: [...this.members.all()],
    };
    try {
      await mkdir(folder, { recursive: true });
      const file = path.join(folder, 'members.json');
      await writeFile(file + '.tmp', JSON.stringify(data));
      await rename(file + '.tmp', file);
    } catch (error) {
      this.options.log?.('warn', `Could not save the member cache: ${describeError(error)}`);
    }
  }

  /** Sign-out: stop, and delete everything cached for this account. */
  async deleteCache(): Promise<void> {
    const folder = this.cacheFolder;
    if (folder) await rm(folder, { recursive: true, force: true });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.saveTimer);
    clearTimeout(this.retryTimer);
    await this.queue?.stop();
    this.membersChanged.dispose();
    this.stateChanged.dispose();
    this.fieldsChanged.dispose();
    this.presence.dispose();
    this.statuses.dispose();
    this.groupStore.dispose();
  }
}
