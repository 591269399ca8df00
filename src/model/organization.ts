// One signed-in organization: its settings, custom profile fields, member index, presence
// (presence.ts) and user groups, kept current by the event queue, and the last good member list cached on disk
// (no secrets) so a window opened offline still shows it. Plain Node: no vscode import.
import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { withUserDefaults, type ZulipClient } from '../zulip/client';
import { ZulipError, describeError, recoveryOf } from '../zulip/errors';
import { Slicer } from '../zulip/slices';
import type { CustomProfileField, RealmEmoji, RegisterResponse, ServerSettings, User, UserGroup, ZulipEvent } from '../zulip/types';
import type { Account } from './accountStore';
import { Delayer } from '../common/delayer';
import { Emitter } from '../common/emitter';
import { backoffDelay, EventQueue } from './eventQueue';
import { GROUP_ORDER, MemberIndex, type MembersChange } from './memberIndex';
import { Presence } from './presence';
import { UserGroups } from './userGroups';
import { UserStatuses } from './userStatus';
import { parseRealmEmoji } from './customEmoji';
import { prepareNames } from './memberNames';
import { prepareRanking } from './mentionRanking';

/** Feature levels that change what the queue is registered with (API-NOTES.md). */
const FEATURE_MODERN_PRESENCE = 263;
const FEATURE_INCLUDE_DEACTIVATED_GROUPS = 294;
const FEATURE_SIMPLIFIED_PRESENCE_EVENTS = 419;

/** The least time between two extra asks for the groups. */
const GROUPS_REFRESH_MS = 60_000;

/** What the queue listens to, and what of it /register sends as initial state. */
export const EVENT_TYPES = ['realm_user', 'custom_profile_fields', 'presence', 'user_status', 'realm_user_groups', 'user_group', 'realm', 'realm_emoji'];
/** `realm` is the organization's settings (a few KB): the mention rules read its default code block language. `realm_emoji`: status emoji images. */
export const FETCH_EVENT_TYPES = ['presence', 'user_status', 'realm_user_groups', 'realm', 'realm_emoji'];

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

/**
 * The member cache (CACHE_FILE): this header on the first line, then lines of up to
 * CACHE_LINE_MEMBERS members each as a JSON array, group by group in sorted order. Written and
 * read a line at a time with yields between, so neither blocks the extension host, and restored
 * in the order the tree shows, so the groups need no new sort.
 */
interface CacheHeader {
  version: 2;
  savedAt: number;
  settings?: ServerSettings;
  profileFields: CustomProfileField[];
  count: number;
}

const CACHE_VERSION = 2;
const CACHE_FILE = 'members-v2.jsonl';
/** The single-JSON cache of earlier versions: deleted when the new one is written. */
const OLD_CACHE_FILE = 'members.json';
const CACHE_LINE_MEMBERS = 1000;
const NEWLINE = 0x0a;
/** Realm changes are saved this long after the last one. */
const SAVE_AFTER_EVENTS_MS = 30_000;

export class Organization {
  readonly members = new MemberIndex();
  settings?: ServerSettings;
  profileFields: CustomProfileField[] = [];
  private groups?: Promise<UserGroup[]>;
  private lookups: Promise<void> = Promise.resolve();
  /** What GET /user_groups answered, once it has. */
  private fetchedGroups?: readonly UserGroup[];
  private stateValue: OrganizationState = { kind: 'loading' };
  private queue?: EventQueue;
  /** Saves gather: at once after a load, within 30 s after events. */
  private readonly saveLater = new Delayer(() => void this.saveToDisk(), 0, { unref: true });
  /** A failed refresh tries again by itself, with backoff. */
  private retryTimer?: NodeJS.Timeout;
  private refreshFailures = 0;
  private disposed = false;
  /** Fires on dispose: stops a load, a save or a sort in progress at its next slice. */
  private readonly lifetime = new AbortController();
  /** The load in progress; a newer one cancels it. Events wait until it has switched lists. */
  private load?: { controller: AbortController; promise: Promise<void> };
  /** Events received and not yet applied, in order (applied in slices, after any load). */
  private readonly pendingEvents: ZulipEvent[] = [];
  private pump?: Promise<void>;
  private saving?: Promise<void>;

  private readonly membersChanged = new Emitter<MembersChange>();
  private readonly stateChanged = new Emitter<OrganizationState>();
  private readonly fieldsChanged = new Emitter<void>();
  readonly onDidChangeMembers = this.membersChanged.event;
  readonly onDidChangeState = this.stateChanged.event;
  readonly onDidChangeProfileFields = this.fieldsChanged.event;
  private readonly realmChanged = new Emitter<void>();
  /** The organization's settings that mentions depend on changed (the default code block language). */
  readonly onDidChangeRealm = this.realmChanged.event;
  /** realm_default_code_block_language: what a ``` fence without a language is ('' for code). */
  defaultCodeBlockLanguage = '';
  private crossRealmBotsLoad?: Promise<User[]>;
  /** The server's own bots, once asked for (crossRealmBots()). */
  loadedCrossRealmBots?: readonly User[];

  readonly presence: Presence;
  /** Members' statuses, live. */
  readonly statuses = new UserStatuses();
  /** The organization's custom emoji by id, from the registration and realm_emoji events (for status images). */
  realmEmoji: ReadonlyMap<string, RealmEmoji> = new Map();
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
          // Events not applied yet came from a queue that is gone; the new list includes them.
          this.pendingEvents.length = 0;
          await this.fetchAll();
          this.applyRegistration(registration);
          firstLoad?.();
        },
        onEvents: (events) => this.queueEvents(events),
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

  /**
   * Loads everything from the server, in slices: the members are parsed as they arrive and the
   * new index is built aside, so the previous list stays shown (and usable) until the new one
   * replaces it in one step. A newer load cancels one in progress (the older call then resolves
   * with the newer one); dispose cancels it without a trace.
   */
  private fetchAll(): Promise<void> {
    this.load?.controller.abort();
    const controller = new AbortController();
    const promise: Promise<void> = this.loadOnce(controller).catch((error: unknown) => {
      if (this.disposed) return;
      if (controller.signal.aborted && this.load && this.load.controller !== controller) return this.load.promise;
      throw error;
    });
    this.load = { controller, promise };
    void promise
      .catch(() => undefined)
      .finally(() => {
        if (this.load?.controller === controller) this.load = undefined;
        this.pumpEvents();
      });
    return promise;
  }

  private async loadOnce(controller: AbortController): Promise<void> {
    const slicer = new Slicer(AbortSignal.any([controller.signal, this.lifetime.signal]));
    const [settings, fields, users] = await Promise.all([
      this.client.getServerSettings(),
      this.client.getProfileFields(),
      this.client.getUsers({ clientGravatar: true, includeCustomProfileFields: true, slicer }),
    ]);
    slicer.check();
    const change = await this.members.resetInSlices(users, slicer);
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.refreshFailures = 0;
    this.settings = settings;
    const fieldsChanged = JSON.stringify(fields) !== JSON.stringify(this.profileFields);
    this.profileFields = fields;
    this.membersChanged.fire(change);
    if (fieldsChanged) this.fieldsChanged.fire();
    this.setState({ kind: 'ready' });
    this.scheduleSave(0);
    this.prepareLookups();
  }

  /** Initial presence, statuses and groups from a registration; a server that sends none says so once. */
  private applyRegistration(registration: RegisterResponse): void {
    if (this.disposed) return;
    if (registration.realm_default_code_block_language !== undefined) this.setDefaultCodeBlockLanguage(registration.realm_default_code_block_language);
    this.presence.reset(registration);
    this.statuses.reset(registration.user_status);
    this.realmEmoji = parseRealmEmoji(registration.realm_emoji);
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

  /** Events from the queue: applied in order, in slices, never into a list being replaced. */
  private queueEvents(events: ZulipEvent[]): void {
    for (const event of events) this.pendingEvents.push(event);
    this.pumpEvents();
  }

  private pumpEvents(): void {
    if (this.pump || this.load || this.disposed || this.pendingEvents.length === 0) return;
    this.pump = this.applyPendingEvents()
      .catch(() => undefined)
      .finally(() => {
        this.pump = undefined;
        this.pumpEvents();
      });
  }

  private async applyPendingEvents(): Promise<void> {
    const slicer = new Slicer(this.lifetime.signal);
    while (this.pendingEvents.length > 0 && !this.load && !this.disposed) {
      // A burst is applied a few at a time: each event is small, thousands are not.
      let taken = 0;
      while (taken < this.pendingEvents.length && !slicer.due) this.applyEvents([this.pendingEvents[taken++]]);
      this.pendingEvents.splice(0, taken);
      if (this.pendingEvents.length > 0) await slicer.yield();
    }
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
    this.scheduleSave(SAVE_AFTER_EVENTS_MS);
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
    } else if (event.type === 'realm_emoji') {
      // op "update" carries the whole map.
      if ((event as { op?: unknown }).op === 'update') this.realmEmoji = parseRealmEmoji((event as { realm_emoji?: unknown }).realm_emoji);
    } else if (event.type === 'user_group') {
      this.groupStore.applyEvent(event);
    } else if (event.type === 'realm') {
      // Zulip sends a setting either way: realm/update (property, value) or realm/update_dict (data).
      const e = event as { op?: string; property?: string; value?: unknown; data?: Record<string, unknown> };
      if (e.op === 'update' && e.property === 'default_code_block_language') this.setDefaultCodeBlockLanguage(e.value);
      else if (e.op === 'update_dict' && e.data && 'default_code_block_language' in e.data) this.setDefaultCodeBlockLanguage(e.data.default_code_block_language);
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

  private setDefaultCodeBlockLanguage(value: unknown): void {
    // Before feature level 195 both null and '' meant "no default".
    const language = typeof value === 'string' ? value : '';
    if (language === this.defaultCodeBlockLanguage) return;
    this.defaultCodeBlockLanguage = language;
    this.realmChanged.fire();
  }

  /**
   * The server's own bots, asked for once (an extra registration whose member list is scanned
   * past unread: GET /users does not list them). A failure is asked again next time.
   */
  crossRealmBots(): Promise<User[]> {
    this.crossRealmBotsLoad ??= this.client.getCrossRealmBots(new Slicer(this.lifetime.signal)).then(
      (bots) => {
        this.loadedCrossRealmBots = bots;
        return bots;
      },
      (error: unknown) => {
        this.crossRealmBotsLoad = undefined;
        throw error;
      },
    );
    return this.crossRealmBotsLoad;
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

  /**
   * One member's presence asked on its own, when the registration brought none (a server that
   * does not send it): the profile's words then come from this answer. False when it says nothing.
   */
  async lookupPresence(userId: number): Promise<boolean> {
    if (this.disposed || this.presence.supported !== false) return false;
    return this.presence.applySingle(userId, await this.client.getUserPresence(userId));
  }

  /** The organization's user groups: live from the registration, else fetched once (GET /user_groups). */
  userGroups(): Promise<UserGroup[]> {
    if (this.groupStore.isLoaded) return Promise.resolve([...this.groupStore.all()]);
    this.groups ??= this.client.getUserGroups().then(
      (groups) => {
        this.fetchedGroups = groups;
        return groups;
      },
      (error: unknown) => {
        this.groups = undefined;
        throw error;
      },
    );
    return this.groups;
  }

  /** The groups known now, without asking: live from the registration, else what userGroups() fetched; undefined before either. */
  knownGroups(): readonly UserGroup[] | undefined {
    return this.groupStore.isLoaded ? this.groupStore.all() : this.fetchedGroups;
  }

  // ---- Disk cache ----

  /** Shows the cached list, read and indexed in slices; any problem leaves it to the server load. */
  private async loadFromDisk(): Promise<void> {
    const folder = this.cacheFolder;
    if (!folder) return;
    const slicer = new Slicer(this.lifetime.signal);
    try {
      const bytes = await readFile(path.join(folder, CACHE_FILE));
      const lines = await readCacheLines(bytes, slicer);
      const header = lines.shift() as CacheHeader | undefined;
      if (header?.version !== CACHE_VERSION || this.members.size > 0) return;
      const members: User[] = [];
      for (const line of lines) {
        if (!Array.isArray(line)) return;
        for (const member of line as User[]) members.push(member);
      }
      if (members.length !== header.count) return;
      // start() waits for this before loading from the server, so no newer list can be here yet.
      const change = await this.members.resetInSlices(members, slicer);
      this.settings = header.settings;
      this.profileFields = header.profileFields ?? [];
      this.membersChanged.fire(change);
      this.setState({ kind: 'stale', reason: l10n.t('Showing the members saved when this organization was last reached.'), since: header.savedAt, fromDisk: true });
      this.prepareLookups();
    } catch {
      // No cache yet, an unreadable one, or a sign-out meanwhile: the server load decides.
    }
  }

  /**
   * After a new list: the tables that Find Member, completion, hovers and diagnostics search are
   * built in the background, in slices, instead of in one block on the first keystroke or hover.
   */
  private prepareLookups(): void {
    const slicer = new Slicer(this.lifetime.signal);
    this.lookups = (async () => {
      await prepareNames(this.members, slicer);
      await prepareRanking(this.members, slicer);
    })().catch(() => undefined); // cancelled (sign-out): whoever searches builds them on demand
  }

  /** Settles once the lookup tables of the last list are built (benchmarks and tests wait for it). */
  whenLookupsReady(): Promise<void> {
    return this.lookups;
  }

  private scheduleSave(delayMs: number): void {
    if (!this.cacheFolder || this.disposed) return;
    this.saveLater.schedule(delayMs);
  }

  /**
   * Writes the member cache a line at a time, yielding between lines, to a temporary file that
   * replaces the old one only when complete. Dispose (sign-out) stops it and removes the
   * temporary file, so nothing is left for an account that signed out.
   */
  saveToDisk(): Promise<void> {
    const previous = this.saving ?? Promise.resolve();
    const saving = previous.then(() => this.writeCache());
    this.saving = saving;
    void saving.finally(() => {
      if (this.saving === saving) this.saving = undefined;
    });
    return saving;
  }

  private async writeCache(): Promise<void> {
    const folder = this.cacheFolder;
    if (!folder || this.disposed) return;
    const slicer = new Slicer(this.lifetime.signal);
    const file = path.join(folder, CACHE_FILE);
    const temporary = file + '.tmp';
    try {
      const members = this.membersInCacheOrder();
      const header: CacheHeader = { version: CACHE_VERSION, savedAt: Date.now(), settings: this.settings, profileFields: this.profileFields, count: members.length };
      await mkdir(folder, { recursive: true });
      const handle = await open(temporary, 'w');
      try {
        await handle.write(JSON.stringify(header) + '\n');
        for (let i = 0; i < members.length; i += CACHE_LINE_MEMBERS) {
          await handle.write(JSON.stringify(members.slice(i, i + CACHE_LINE_MEMBERS)) + '\n');
          await slicer.pause();
        }
      } finally {
        await handle.close();
      }
      slicer.check();
      await rename(temporary, file);
      await rm(path.join(folder, OLD_CACHE_FILE), { force: true });
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      if (error instanceof ZulipError && error.kind === 'cancelled') return;
      this.options.log?.('warn', `Could not save the member cache: ${describeError(error)}`);
    }
  }

  /** Group by group, sorted when the groups are (so a restart needs no sort), else as indexed. */
  private membersInCacheOrder(): User[] {
    if (!this.members.sorted) return [...this.members.all()];
    const members: User[] = [];
    for (const kind of GROUP_ORDER) for (const user of this.members.sortedGroup(kind)) members.push(user);
    return members;
  }

  /** Sign-out: stop, and delete everything cached for this account. */
  async deleteCache(): Promise<void> {
    const folder = this.cacheFolder;
    if (folder) await rm(folder, { recursive: true, force: true });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.lifetime.abort();
    this.pendingEvents.length = 0;
    this.saveLater.dispose();
    clearTimeout(this.retryTimer);
    // A load or save in progress stops at its next slice; wait for it so nothing outlives us.
    await Promise.all([this.load?.promise.catch(() => undefined), this.saving?.catch(() => undefined), this.pump]);
    await this.queue?.stop();
    this.membersChanged.dispose();
    this.stateChanged.dispose();
    this.fieldsChanged.dispose();
    this.realmChanged.dispose();
    this.presence.dispose();
    this.statuses.dispose();
    this.groupStore.dispose();
  }
}

/** The cache's lines, parsed one by one with yields between (bytes: the whole file). */
async function readCacheLines(bytes: Buffer, slicer: Slicer): Promise<unknown[]> {
  const lines: unknown[] = [];
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end < 0) end = bytes.length;
    if (end > start) lines.push(JSON.parse(bytes.toString('utf8', start, end)));
    start = end + 1;
    await slicer.pause();
  }
  return lines;
}
