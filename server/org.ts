// The organization model: members, custom profile fields, user groups and presence. Every
// mutation goes through a method here so that it also produces the events Zulip would send.
import { createHash } from 'node:crypto';
import { renderMarkdown } from './markdown';
import { canAccess, unknownUser } from './access';
import { Clock } from './clock';
import { realmEmojiForApi } from './emoji';
import { FEATURE } from './features';
import { DEFAULT_GROUP_SETTINGS, groupForApi } from './groups';
import {
  applyPresenceReport,
  INVISIBLE_OFFSET_SECONDS,
  LEGACY_ACTIVITY_OFFSET_SECONDS,
  legacyPresence,
  modernPresence,
  type PresenceRow,
  type PresenceStatus,
} from './presence';
import { checkStatusRequest, EMPTY_STATUS, type RealmEmojiRecord, type StatusRecord, type StatusRequest } from './userStatus';
import { apiKeyFrom, Random } from './random';
import { apiEmail, avatarUrl, canSeeEmail, UserViews, type Viewer } from './serialize';
import type {
  BotType,
  CustomProfileField,
  EmailVisibility,
  GroupSettingName,
  GroupSettingValue,
  ProfileValue,
  RealmSettings,
  Role,
  UserGroupRecord,
  UserRecord,
} from './types';

/** What a queue's owner needs for an event to be shaped for them. */
export interface EventContext {
  viewer: UserRecord;
  clientGravatar: boolean;
  capabilities: ClientCapabilities;
}

/** The register client_capabilities that change what this server sends. */
export interface ClientCapabilities {
  /** Feature level 419: presence events carry the modern presences map. */
  simplifiedPresenceEvents: boolean;
  /** Feature level 294: deactivated groups are sent (else removed from the client's view). */
  includeDeactivatedGroups: boolean;
  /** Feature level 232: restricted guests get no "Unknown user" placeholders. */
  userListIncomplete: boolean;
}

export const NO_CAPABILITIES: ClientCapabilities = { simplifiedPresenceEvents: false, includeDeactivatedGroups: false, userListIncomplete: false };

/** One change to a group, as the user_group update event's data carries it. */
export interface GroupChange {
  name?: string;
  description?: string;
  deactivated?: boolean;
  settings?: Partial<Record<GroupSettingName, GroupSettingValue>>;
}

export interface NewGroup {
  name: string;
  description?: string;
  members?: number[];
  subgroups?: number[];
  creator_id?: number | null;
  settings?: Partial<Record<GroupSettingName, GroupSettingValue>>;
}

/** An event before it is tailored to a queue; build returns null when that viewer gets nothing. */
export interface OrgEvent {
  type: string;
  build(context: EventContext): Record<string, unknown> | null;
}

export type OrgEventListener = (event: OrgEvent) => void;

/** One change per call, mirroring the realm_user update event shapes. */
export type UserChange =
  | { full_name: string }
  /** null switches to Gravatar; a string is a newly uploaded avatar (a /user_avatars/ path names its file). */
  | { avatar_url: string | null; avatar_version?: number }
  | { timezone: string }
  | { bot_owner_id: number }
  | { role: Role }
  /** The real address changes; a public address also changes the API email (new_email). */
  | { delivery_email: string }
  /** The same change as delivery_email, named after the event it is usually made to produce. */
  | { new_email: string }
  /** Who may see the real address; changes delivery_email for some viewers and maybe the API email. */
  | { email_address_visibility: EmailVisibility }
  | { custom_profile_field: { id: number; value: string | null; rendered_value?: string } }
  | { is_active: boolean };

export interface NewUser {
  full_name: string;
  delivery_email?: string;
  role?: Role;
  is_bot?: boolean;
  bot_type?: BotType | null;
  bot_owner_id?: number | null;
  timezone?: string;
  avatar_source?: 'G' | 'U';
  email_address_visibility?: EmailVisibility;
  is_active?: boolean;
  profile_data?: Record<string, ProfileValue | string>;
  api_key?: string;
  user_id?: number;
  date_joined?: string;
}

const ROLES: readonly Role[] = [100, 200, 300, 400, 600];

export class OrgError extends Error {}

export class Org {
  readonly users = new Map<number, UserRecord>();
  readonly crossRealmBots: UserRecord[] = [];
  profileFields: CustomProfileField[] = [];
  readonly userGroups: UserGroupRecord[] = [];
  readonly presence = new Map<number, PresenceRow>();
  /** Keyed by user id; only users who ever set a status. */
  readonly statuses = new Map<number, StatusRecord>();
  readonly realmEmoji: RealmEmojiRecord[] = [];
  readonly clock = new Clock();
  readonly views: UserViews;
  /** The realm's PresenceSequence: the last last_update_id handed out. */
  private presenceSequence = 0;
  private readonly byEmail = new Map<string, number>();
  private readonly listeners = new Set<OrgEventListener>();
  private readonly random: Random;
  private nextUserId = 1;

  constructor(
    readonly realm: RealmSettings,
    seed: string | number,
  ) {
    this.views = new UserViews(realm);
    this.random = new Random(`${seed}:added-users`);
  }

  onEvent(listener: OrgEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- lookups ----

  getUser(userId: number): UserRecord | undefined {
    return this.users.get(userId);
  }

  /** By real address, case-insensitively, as Zulip authenticates. */
  userByDeliveryEmail(email: string): UserRecord | undefined {
    const id = this.byEmail.get(email.trim().toLowerCase());
    return id === undefined ? undefined : this.users.get(id);
  }

  /** Parses the placeholder form user{id}@{fakeEmailDomain}. */
  userByPlaceholderEmail(email: string): UserRecord | undefined {
    const match = /^user(\d+)@(.+)$/i.exec(email.trim());
    if (!match || match[2].toLowerCase() !== this.realm.fakeEmailDomain.toLowerCase()) return undefined;
    return this.users.get(Number(match[1]));
  }

  apiEmail(user: UserRecord): string {
    return apiEmail(user, this.realm);
  }

  get size(): number {
    return this.users.size;
  }

  // ---- bulk loading (no events: the organization is being built) ----

  /** Adds a fully formed record; used by the seed and the generator. */
  load(user: UserRecord): void {
    if (this.users.has(user.user_id)) throw new OrgError(`Duplicate user id ${user.user_id}`);
    const key = user.delivery_email.toLowerCase();
    if (this.byEmail.has(key)) throw new OrgError(`Duplicate email ${user.delivery_email}`);
    this.users.set(user.user_id, user);
    this.byEmail.set(key, user.user_id);
    this.nextUserId = Math.max(this.nextUserId, user.user_id + 1);
  }

  loadCrossRealmBot(bot: UserRecord): void {
    this.crossRealmBots.push(bot);
  }

  // ---- mutations ----

  addUser(input: NewUser): UserRecord {
    if (typeof input.full_name !== 'string' || !input.full_name.trim()) throw new OrgError('full_name is required');
    const userId = input.user_id ?? this.nextUserId;
    if (this.users.has(userId)) throw new OrgError(`User ${userId} already exists`);
    const isBot = input.is_bot ?? false;
    const email = input.delivery_email ?? `${isBot ? 'bot' : 'user'}-${userId}@zulip.example`;
    if (!email.includes('@')) throw new OrgError(`Invalid email ${email}`);
    if (this.userByDeliveryEmail(email)) throw new OrgError(`Email ${email} is already in use`);
    const role = input.role ?? 400;
    if (!ROLES.includes(role)) throw new OrgError(`Invalid role ${String(role)}`);
    if (input.bot_owner_id != null && !this.users.has(input.bot_owner_id)) {
      throw new OrgError(`No such bot owner ${input.bot_owner_id}`);
    }
    const user: UserRecord = {
      user_id: userId,
      delivery_email: email,
      full_name: input.full_name,
      date_joined: input.date_joined ?? isoWithMicros(new Date()),
      is_active: input.is_active ?? true,
      role,
      is_bot: isBot,
      bot_type: isBot ? (input.bot_type ?? 1) : null,
      bot_owner_id: isBot ? (input.bot_owner_id ?? null) : null,
      timezone: input.timezone ?? '',
      avatar_source: input.avatar_source ?? 'G',
      avatar_hash: createHash('sha1').update(`avatar:${userId}:${email}`).digest('hex'),
      avatar_version: 1,
      email_address_visibility: isBot ? 1 : (input.email_address_visibility ?? 1),
      profile_data: new Map(),
      api_key: input.api_key ?? apiKeyFrom(this.random),
    };
    if (input.profile_data && !isBot) {
      for (const [fieldId, value] of Object.entries(input.profile_data)) {
        const field = this.requireField(Number(fieldId));
        user.profile_data.set(field.id, this.profileValue(field, typeof value === 'string' ? { value } : value));
      }
    }
    this.load(user);
    this.emit({
      type: 'realm_user',
      build: ({ viewer, clientGravatar, capabilities }) => {
        // A restricted guest hears of someone new they may not see as "Unknown user", or not at all.
        if (!canAccess(this, viewer, user)) return capabilities.userListIncomplete ? null : { type: 'realm_user', op: 'add', person: unknownUser(this, user) };
        return { type: 'realm_user', op: 'add', person: this.views.object(viewer, user, { clientGravatar, includeProfileData: true }) };
      },
    });
    return user;
  }

  updateUser(userId: number, change: UserChange): UserRecord {
    const user = this.requireUser(userId);
    if (typeof change !== 'object' || change === null) throw new OrgError('change must be an object');
    if ('full_name' in change) {
      if (typeof change.full_name !== 'string' || !change.full_name.trim()) throw new OrgError('full_name must be a non-empty string');
      user.full_name = change.full_name;
      this.changed(user, { full_name: user.full_name });
    } else if ('avatar_url' in change) {
      this.changeAvatar(user, change.avatar_url, change.avatar_version);
    } else if ('timezone' in change) {
      if (typeof change.timezone !== 'string') throw new OrgError('timezone must be a string');
      user.timezone = change.timezone;
      this.changed(user, { email: this.apiEmail(user), timezone: user.timezone });
    } else if ('bot_owner_id' in change) {
      if (!user.is_bot) throw new OrgError(`User ${userId} is not a bot`);
      this.requireUser(change.bot_owner_id);
      user.bot_owner_id = change.bot_owner_id;
      this.changed(user, { bot_owner_id: user.bot_owner_id });
    } else if ('role' in change) {
      if (!ROLES.includes(change.role)) throw new OrgError(`Invalid role ${String(change.role)}`);
      const before = this.roleGroupIds(user.role);
      user.role = change.role;
      this.changed(user, { role: user.role });
      // As do_change_user_role: the user leaves the system groups of the old role, then joins the new role's.
      const after = this.roleGroupIds(user.role);
      if (user.is_active) {
        for (const id of before) if (!after.includes(id)) this.emitGroupChange(this.requireGroup(id), { op: 'remove_members', user_ids: [user.user_id] });
        for (const id of after) if (!before.includes(id)) this.emitGroupChange(this.requireGroup(id), { op: 'add_members', user_ids: [user.user_id] });
      }
    } else if ('delivery_email' in change) {
      this.changeEmail(user, change.delivery_email);
    } else if ('new_email' in change) {
      this.changeEmail(user, change.new_email);
    } else if ('email_address_visibility' in change) {
      this.changeVisibility(user, change.email_address_visibility);
    } else if ('custom_profile_field' in change) {
      this.changeProfileField(user, change.custom_profile_field);
    } else if ('is_active' in change) {
      this.setActive(user, change.is_active);
    } else {
      throw new OrgError(`Unsupported change: ${JSON.stringify(change)}`);
    }
    return user;
  }

  deactivateUser(userId: number): UserRecord {
    return this.updateUser(userId, { is_active: false });
  }

  reactivateUser(userId: number): UserRecord {
    return this.updateUser(userId, { is_active: true });
  }

  /** Removes a member entirely; clients get the op "remove" event (a guest losing access). */
  removeUser(userId: number): void {
    const user = this.requireUser(userId);
    this.users.delete(userId);
    this.byEmail.delete(user.delivery_email.toLowerCase());
    this.presence.delete(userId);
    this.statuses.delete(userId);
    this.views.invalidate(userId);
    this.emit({
      type: 'realm_user',
      build: () => ({ type: 'realm_user', op: 'remove', person: { user_id: userId, full_name: user.full_name } }),
    });
  }

  setProfileFields(fields: CustomProfileField[]): void {
    const ids = new Set<number>();
    for (const field of fields) {
      if (!Number.isInteger(field.id) || ids.has(field.id)) throw new OrgError(`Bad or duplicate field id ${String(field.id)}`);
      if (![1, 2, 3, 4, 5, 6, 7, 8].includes(field.type)) throw new OrgError(`Bad field type ${String(field.type)}`);
      ids.add(field.id);
    }
    this.profileFields = fields.map((field) => ({ ...field }));
    // Zulip deletes the values of deleted fields.
    for (const user of this.users.values()) {
      let touched = false;
      for (const fieldId of [...user.profile_data.keys()]) {
        if (!ids.has(fieldId)) {
          user.profile_data.delete(fieldId);
          touched = true;
        }
      }
      if (touched) this.views.invalidate(user.user_id);
    }
    const snapshot = this.profileFieldsForApi();
    this.emit({ type: 'custom_profile_fields', build: () => ({ type: 'custom_profile_fields', fields: snapshot }) });
  }

  // ---- presence ----

  /** Loads a presence row without events (seed, generator); keeps the update counter ahead. */
  loadPresence(userId: number, lastActive: number | null, lastConnected: number): void {
    this.presenceSequence += 1;
    this.presence.set(userId, { lastActive, lastConnected: Math.max(lastConnected, lastActive ?? lastConnected), lastUpdateId: this.presenceSequence });
  }

  get lastPresenceUpdateId(): number {
    return this.presenceSequence;
  }

  /**
   * POST /users/me/presence from this user at `at` (default now), as Zulip's
   * update_user_presence: nothing happens while the user's presence_enabled is off.
   */
  reportPresence(userId: number, status: PresenceStatus, at = this.clock.unix()): void {
    const user = this.requireUser(userId);
    if (status !== 'active' && status !== 'idle') throw new OrgError(`Bad presence status ${String(status)}`);
    if (user.presence_enabled === false || user.is_bot) return;
    const update = applyPresenceReport(this.presence.get(userId), status, at, this.presenceSequence + 1);
    if (!update.changed) return;
    this.presenceSequence += 1;
    this.presence.set(userId, update.row);
    if (update.notify) this.emitPresence(user);
  }

  /**
   * Sets a user's presence outright (the control API): "active" at `timestamp` means active and
   * connected then; "idle" means connected then and last active earlier. Always sends the event.
   */
  setPresence(userId: number, status: PresenceStatus, timestamp = this.clock.unix()): void {
    const user = this.requireUser(userId);
    if (status !== 'active' && status !== 'idle') throw new OrgError(`Bad presence status ${String(status)}`);
    const before = this.presence.get(userId)?.lastActive ?? null;
    const idleActive = before !== null && before + LEGACY_ACTIVITY_OFFSET_SECONDS < timestamp ? before : timestamp - 10 * 60;
    this.setPresenceTimes(user, status === 'active' ? timestamp : idleActive, timestamp);
  }

  /** The modern form directly: last active (null: never) and last connected, UNIX seconds. */
  setPresenceTimestamps(userId: number, activeTimestamp: number | null, idleTimestamp: number): void {
    this.setPresenceTimes(this.requireUser(userId), activeTimestamp, idleTimestamp);
  }

  /** Forgets a user's presence (never seen); no event, as Zulip has none for it. */
  clearPresence(userId: number): void {
    this.requireUser(userId);
    this.presence.delete(userId);
  }

  /**
   * presence_enabled (do_change_user_setting): turning it off leaves one idle row a little older
   * than the offline threshold, so everyone sees the user offline; turning it on reports them
   * active now. Both send a presence event, and a user_status event with the legacy away flag.
   */
  setPresenceEnabled(userId: number, enabled: boolean, announceAway = true): void {
    const user = this.requireUser(userId);
    if (typeof enabled !== 'boolean') throw new OrgError('presence_enabled must be a boolean');
    if ((user.presence_enabled ?? true) === enabled) return;
    user.presence_enabled = enabled;
    const now = this.clock.unix();
    if (enabled) {
      const update = applyPresenceReport(this.presence.get(userId), 'active', now, this.presenceSequence + 1);
      this.presenceSequence += 1;
      this.presence.set(userId, { ...update.row, lastUpdateId: this.presenceSequence });
    } else {
      this.presenceSequence += 1;
      this.presence.set(userId, { lastActive: null, lastConnected: now - INVISIBLE_OFFSET_SECONDS, lastUpdateId: this.presenceSequence });
    }
    this.emitPresence(user);
    if (announceAway && this.realm.featureLevel >= FEATURE.AWAY_IS_PRESENCE_ENABLED) {
      this.emit({ type: 'user_status', build: ({ viewer }) => (canAccess(this, viewer, user) ? { type: 'user_status', user_id: userId, away: !enabled } : null) });
    }
  }

  /** Seconds since 1970 of the user's join date: Zulip's default for a missing presence time. */
  joinedAt(user: UserRecord): number {
    return Math.floor(Date.parse(user.date_joined) / 1000);
  }

  private setPresenceTimes(user: UserRecord, activeTimestamp: number | null, idleTimestamp: number): void {
    if (activeTimestamp !== null && !Number.isInteger(activeTimestamp)) throw new OrgError('active_timestamp must be an integer or null');
    if (!Number.isInteger(idleTimestamp)) throw new OrgError('idle_timestamp must be an integer');
    this.presenceSequence += 1;
    // Kept as given (a hostile or skewed server may send an active time after the idle one).
    this.presence.set(user.user_id, { lastActive: activeTimestamp, lastConnected: idleTimestamp, lastUpdateId: this.presenceSequence });
    this.emitPresence(user);
  }

  /** send_presence_changed: legacy per-client form, or the modern map for simplified_presence_events. */
  private emitPresence(user: UserRecord): void {
    const row = this.presence.get(user.user_id);
    if (!row) return;
    const joined = this.joinedAt(user);
    const serverTimestamp = this.clock.seconds();
    const website = legacyPresence(row, joined);
    const modern = modernPresence(row, joined);
    this.emit({
      type: 'presence',
      build: ({ capabilities }) =>
        capabilities.simplifiedPresenceEvents && this.realm.featureLevel >= FEATURE.SIMPLIFIED_PRESENCE_EVENTS
          ? { type: 'presence', presences: { [String(user.user_id)]: { ...modern } } }
          : { type: 'presence', user_id: user.user_id, email: this.apiEmail(user), server_timestamp: serverTimestamp, presence: { website: { ...website } } },
    });
  }

  // ---- user status ----

  /** POST /users/me/status (checked as Zulip checks it), or the control API's set-status. */
  updateStatus(userId: number, request: StatusRequest): void {
    const user = this.requireUser(userId);
    const checked = checkStatusRequest(request, this.realmEmoji);
    // The status event below carries away, so the setting's own is not sent twice.
    if (request.away !== undefined) this.setPresenceEnabled(userId, !request.away, false);
    this.storeStatus(user, checked, request.away);
  }

  /**
   * Stores a status without checking it (the hostile corpus: an emoji code that does not
   * exist, text over the limit), sending the event all the same.
   */
  forceStatus(userId: number, status: Partial<StatusRecord>): void {
    this.storeStatus(this.requireUser(userId), status);
  }

  /** Loads a status without events (seed, generator). */
  loadStatus(userId: number, status: Partial<StatusRecord>): void {
    this.statuses.set(userId, { ...EMPTY_STATUS, ...status });
  }

  private storeStatus(user: UserRecord, change: Partial<StatusRecord>, away?: boolean): void {
    const current = this.statuses.get(user.user_id) ?? { ...EMPTY_STATUS };
    const next: StatusRecord = { ...current };
    if (change.status_text !== undefined) next.status_text = change.status_text;
    if (change.emoji_name !== undefined) {
      next.emoji_name = change.emoji_name;
      if (change.emoji_code !== undefined) next.emoji_code = change.emoji_code;
      if (change.reaction_type !== undefined) next.reaction_type = change.reaction_type;
    }
    this.statuses.set(user.user_id, next);
    const event: Record<string, unknown> = { type: 'user_status', user_id: user.user_id };
    if (away !== undefined && this.realm.featureLevel >= FEATURE.AWAY_IS_PRESENCE_ENABLED) event.away = away;
    if (change.status_text !== undefined) event.status_text = change.status_text;
    if (change.emoji_name !== undefined && this.realm.featureLevel >= FEATURE.STATUS_EMOJI) {
      event.emoji_name = next.emoji_name;
      event.emoji_code = next.emoji_code;
      event.reaction_type = next.reaction_type;
    }
    // Sent to those who can access the user (feature level 228).
    if (Object.keys(event).length > 2) this.emit({ type: 'user_status', build: ({ viewer }) => (canAccess(this, viewer, user) ? { ...event } : null) });
  }

  // ---- custom emoji ----

  /** Adds a custom emoji (the image is generated from its id); sends realm_emoji update. */
  addRealmEmoji(name: string, authorId: number | null): RealmEmojiRecord {
    if (typeof name !== 'string' || !/^[a-z0-9_-]+$/.test(name)) throw new OrgError('Emoji names must contain only lowercase letters, digits, dashes and underscores');
    if (this.realmEmoji.some((emoji) => emoji.name === name && !emoji.deactivated)) throw new OrgError('A custom emoji with this name already exists.');
    const id = String(1 + this.realmEmoji.reduce((max, emoji) => Math.max(max, Number(emoji.id)), 0));
    const emoji: RealmEmojiRecord = { id, name, author_id: authorId, deactivated: false };
    this.realmEmoji.push(emoji);
    this.emitRealmEmoji();
    return emoji;
  }

  deactivateRealmEmoji(name: string): void {
    const emoji = this.realmEmoji.find((candidate) => candidate.name === name && !candidate.deactivated);
    if (!emoji) throw new OrgError('Emoji does not exist');
    emoji.deactivated = true;
    this.emitRealmEmoji();
  }

  /** Changes realm_default_code_block_language, told as Zulip tells it (realm/update_dict). */
  setDefaultCodeBlockLanguage(language: string): void {
    this.realm.defaultCodeBlockLanguage = language;
    this.emit({
      type: 'realm',
      build: () => ({ type: 'realm', op: 'update_dict', property: 'default', data: { default_code_block_language: language } }),
    });
  }

  private emitRealmEmoji(): void {
    const realm = this.realm;
    const emoji = this.realmEmoji;
    this.emit({ type: 'realm_emoji', build: () => ({ type: 'realm_emoji', op: 'update', realm_emoji: realmEmojiForApi(emoji, realm) }) });
  }

  // ---- user groups ----

  getGroup(groupId: number): UserGroupRecord | undefined {
    return this.userGroups.find((group) => group.id === groupId);
  }

  createGroup(input: NewGroup): UserGroupRecord {
    if (typeof input.name !== 'string' || !input.name.trim()) throw new OrgError('User group name cannot be empty.');
    if (this.userGroups.some((group) => group.name === input.name)) throw new OrgError(`User group '${input.name}' already exists.`);
    const members = input.members ?? [];
    for (const id of members) this.requireUser(id);
    for (const id of input.subgroups ?? []) this.requireGroup(id);
    const template = this.userGroups.find((group) => !group.is_system_group);
    const group: UserGroupRecord = {
      id: 1 + this.userGroups.reduce((max, g) => Math.max(max, g.id), 0),
      name: input.name,
      description: input.description ?? '',
      membership: { kind: 'users', userIds: [...new Set(members)] },
      direct_subgroup_ids: [...new Set(input.subgroups ?? [])],
      is_system_group: false,
      creator_id: input.creator_id ?? null,
      date_created: this.clock.unix(),
      deactivated: false,
      settings: { ...(template?.settings ?? DEFAULT_GROUP_SETTINGS), ...input.settings },
    };
    this.userGroups.push(group);
    this.emit({ type: 'user_group', build: () => ({ type: 'user_group', op: 'add', group: groupForApi(this, group) }) });
    return group;
  }

  /** name, description, a permission setting or deactivated, as one user_group update. */
  updateGroup(groupId: number, change: GroupChange): void {
    const group = this.requireGroup(groupId);
    if (group.is_system_group) throw new OrgError('Insufficient permission');
    const data: Record<string, unknown> = {};
    if (change.name !== undefined) {
      if (typeof change.name !== 'string' || !change.name.trim()) throw new OrgError('User group name cannot be empty.');
      group.name = change.name;
      data.name = change.name;
    }
    if (change.description !== undefined) {
      group.description = String(change.description);
      data.description = group.description;
    }
    for (const [name, value] of Object.entries(change.settings ?? {}) as Array<[GroupSettingName, GroupSettingValue]>) {
      if (!(name in group.settings)) throw new OrgError(`Unknown group setting ${name}`);
      group.settings[name] = structuredClone(value);
      data[name] = structuredClone(value);
    }
    const wasDeactivated = group.deactivated;
    if (change.deactivated !== undefined) {
      group.deactivated = Boolean(change.deactivated);
      data.deactivated = group.deactivated;
    }
    if (!Object.keys(data).length) throw new OrgError('No new data supplied');
    this.emit({
      type: 'user_group',
      build: ({ capabilities }) => {
        if (!capabilities.includeDeactivatedGroups || this.realm.featureLevel < FEATURE.INCLUDE_DEACTIVATED_GROUPS) {
          // Such clients never see deactivated groups: deactivation removes the group, changes to one are not sent.
          if (data.deactivated === true) return { type: 'user_group', op: 'remove', group_id: groupId };
          if (data.deactivated === false) return { type: 'user_group', op: 'add', group: groupForApi(this, group) };
          if (wasDeactivated) return null;
        }
        if (this.realm.featureLevel < FEATURE.GROUP_DEACTIVATION) delete data.deactivated;
        return { type: 'user_group', op: 'update', group_id: groupId, data: structuredClone(data) };
      },
    });
  }

  addGroupMembers(groupId: number, userIds: number[]): void {
    const group = this.requireUserListGroup(groupId);
    const current = group.membership.kind === 'users' ? group.membership.userIds : [];
    for (const id of userIds) {
      const user = this.requireUser(id);
      if (!user.is_active) throw new OrgError(`Invalid user ID: ${id}`);
      if (current.includes(id)) throw new OrgError(`User ${id} is already a member of this group`);
    }
    current.push(...userIds);
    this.emitGroupChange(group, { op: 'add_members', user_ids: [...userIds] });
  }

  removeGroupMembers(groupId: number, userIds: number[]): void {
    const group = this.requireUserListGroup(groupId);
    const current = group.membership.kind === 'users' ? group.membership.userIds : [];
    for (const id of userIds) if (!current.includes(id)) throw new OrgError(`There is no member '${id}' in this user group`);
    group.membership = { kind: 'users', userIds: current.filter((id) => !userIds.includes(id)) };
    this.emitGroupChange(group, { op: 'remove_members', user_ids: [...userIds] });
  }

  addSubgroups(groupId: number, subgroupIds: number[]): void {
    const group = this.requireGroup(groupId);
    for (const id of subgroupIds) {
      const subgroup = this.requireGroup(id);
      if (subgroup.deactivated) throw new OrgError('User group is deactivated.');
      if (group.direct_subgroup_ids.includes(id)) throw new OrgError(`User group ${id} is already a subgroup of this group.`);
      if (id === groupId || this.allSubgroups(id).has(groupId)) throw new OrgError('User group cannot be a subgroup of itself.');
    }
    group.direct_subgroup_ids.push(...subgroupIds);
    this.emitGroupChange(group, { op: 'add_subgroups', direct_subgroup_ids: [...subgroupIds] });
  }

  removeSubgroups(groupId: number, subgroupIds: number[]): void {
    const group = this.requireGroup(groupId);
    for (const id of subgroupIds) if (!group.direct_subgroup_ids.includes(id)) throw new OrgError(`User group ${id} is not a subgroup of this group.`);
    group.direct_subgroup_ids = group.direct_subgroup_ids.filter((id) => !subgroupIds.includes(id));
    this.emitGroupChange(group, { op: 'remove_subgroups', direct_subgroup_ids: [...subgroupIds] });
  }

  /** Deletes a group (Zulip's op "remove"); it leaves every group it was a subgroup of. */
  removeGroup(groupId: number): void {
    const group = this.requireGroup(groupId);
    if (group.is_system_group) throw new OrgError('Insufficient permission');
    this.userGroups.splice(this.userGroups.indexOf(group), 1);
    for (const other of this.userGroups) other.direct_subgroup_ids = other.direct_subgroup_ids.filter((id) => id !== groupId);
    this.emit({ type: 'user_group', build: () => ({ type: 'user_group', op: 'remove', group_id: groupId }) });
  }

  /** Every group below this one, transitively. */
  allSubgroups(groupId: number): Set<number> {
    const seen = new Set<number>();
    const stack = [...(this.getGroup(groupId)?.direct_subgroup_ids ?? [])];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(this.getGroup(id)?.direct_subgroup_ids ?? []));
    }
    return seen;
  }

  /** Members of the group and of all its subgroups (GET /user_groups/{id}/members). */
  recursiveGroupMembers(group: UserGroupRecord): number[] {
    const members = new Set(this.groupMembers(group));
    for (const id of this.allSubgroups(group.id)) {
      const subgroup = this.getGroup(id);
      if (subgroup) for (const member of this.groupMembers(subgroup)) members.add(member);
    }
    return [...members].sort((a, b) => a - b);
  }

  requireGroup(groupId: number): UserGroupRecord {
    const group = this.getGroup(groupId);
    if (!group) throw new OrgError('Invalid user group');
    return group;
  }

  private requireUserListGroup(groupId: number): UserGroupRecord {
    const group = this.requireGroup(groupId);
    if (group.membership.kind !== 'users') throw new OrgError('Insufficient permission');
    return group;
  }

  /** The system groups whose direct members are everyone of this role. */
  private roleGroupIds(role: Role): number[] {
    return this.userGroups.filter((group) => group.membership.kind === 'roles' && group.membership.roles.includes(role)).map((group) => group.id);
  }

  private emitGroupChange(group: UserGroupRecord, fields: Record<string, unknown>): void {
    this.emit({
      type: 'user_group',
      build: ({ capabilities }) =>
        group.deactivated && !capabilities.includeDeactivatedGroups ? null : { type: 'user_group', group_id: group.id, ...structuredClone(fields) },
    });
  }


  // ---- API views that are not per-user ----

  profileFieldsForApi(): CustomProfileField[] {
    return [...this.profileFields].sort((a, b) => a.order - b.order).map((field) => ({ ...field }));
  }

  /** Members of a group, direct ones only, deactivated users excluded as Zulip does. */
  groupMembers(group: UserGroupRecord): number[] {
    const members: number[] = [];
    if (group.membership.kind === 'users') {
      for (const id of group.membership.userIds) if (this.users.get(id)?.is_active) members.push(id);
    } else {
      const roles = group.membership.roles;
      if (roles.length) for (const user of this.users.values()) if (user.is_active && roles.includes(user.role)) members.push(user.user_id);
    }
    return members;
  }

  // ---- internals ----

  private requireUser(userId: number): UserRecord {
    const user = this.users.get(userId);
    if (!user) throw new OrgError(`No such user ${String(userId)}`);
    return user;
  }

  private requireField(fieldId: number): CustomProfileField {
    const field = this.profileFields.find((f) => f.id === fieldId);
    if (!field) throw new OrgError(`No such custom profile field ${fieldId}`);
    return field;
  }

  /** Short and long text are Markdown fields: only they carry rendered_value. */
  profileValue(field: CustomProfileField, input: ProfileValue): ProfileValue {
    if (typeof input.value !== 'string') throw new OrgError(`Value of field ${field.id} must be a string`);
    if (field.type === 1 || field.type === 2) {
      return { value: input.value, rendered_value: input.rendered_value ?? renderMarkdown(input.value) };
    }
    return { value: input.value };
  }

  private emit(event: OrgEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** A realm_user update whose person is the same for every viewer. */
  private changed(user: UserRecord, fields: Record<string, unknown>): void {
    this.views.invalidate(user.user_id);
    const person = { user_id: user.user_id, ...fields };
    this.emit({ type: 'realm_user', build: () => ({ type: 'realm_user', op: 'update', person: { ...person } }) });
  }

  private changeAvatar(user: UserRecord, url: string | null, version: number | undefined): void {
    if (url !== null && typeof url !== 'string') throw new OrgError('avatar_url must be a string or null');
    if (version !== undefined && (!Number.isInteger(version) || version <= user.avatar_version)) {
      throw new OrgError(`avatar_version must be an integer above ${user.avatar_version}`);
    }
    user.avatar_version = version ?? user.avatar_version + 1;
    if (url === null) {
      user.avatar_source = 'G';
    } else {
      user.avatar_source = 'U';
      const named = /\/user_avatars\/\d+\/([A-Za-z0-9_-]+?)(?:-medium)?\.png/.exec(url);
      user.avatar_hash = named ? named[1] : createHash('sha1').update(`${url}:${user.avatar_version}`).digest('hex');
    }
    // Event avatar URLs are always strings: zulip.yaml's event schema does not allow null there.
    this.changed(user, {
      avatar_source: user.avatar_source,
      avatar_url: avatarUrl(user, this.realm, false),
      avatar_url_medium: avatarUrl(user, this.realm, true),
      avatar_version: user.avatar_version,
    });
  }

  private changeEmail(user: UserRecord, email: string): void {
    if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email)) throw new OrgError(`Invalid email ${String(email)}`);
    const other = this.userByDeliveryEmail(email);
    if (other && other.user_id !== user.user_id) throw new OrgError(`Email ${email} is already in use`);
    const apiBefore = this.apiEmail(user);
    this.byEmail.delete(user.delivery_email.toLowerCase());
    user.delivery_email = email;
    this.byEmail.set(email.toLowerCase(), user.user_id);
    this.views.invalidate(user.user_id);
    const apiAfter = this.apiEmail(user);
    // Only viewers allowed to see the address hear about it.
    this.emit({
      type: 'realm_user',
      build: ({ viewer }) =>
        canSeeEmail(viewerOf(viewer), user)
          ? { type: 'realm_user', op: 'update', person: { user_id: user.user_id, delivery_email: email } }
          : null,
    });
    if (apiAfter !== apiBefore) this.emitNewEmail(user, apiAfter);
  }

  private changeVisibility(user: UserRecord, visibility: EmailVisibility): void {
    if (![1, 2, 3, 4, 5].includes(visibility)) throw new OrgError(`Invalid email_address_visibility ${String(visibility)}`);
    if (user.is_bot) throw new OrgError('Bots always show their address to everyone');
    const before = { ...user };
    const apiBefore = this.apiEmail(user);
    user.email_address_visibility = visibility;
    this.views.invalidate(user.user_id);
    const apiAfter = this.apiEmail(user);
    // Viewers whose access changed learn the address (or that it is now hidden: null).
    this.emit({
      type: 'realm_user',
      build: ({ viewer }) => {
        const seeing = canSeeEmail(viewerOf(viewer), user);
        if (seeing === canSeeEmail(viewerOf(viewer), before)) return null;
        return {
          type: 'realm_user',
          op: 'update',
          person: { user_id: user.user_id, delivery_email: seeing ? user.delivery_email : null },
        };
      },
    });
    if (apiAfter !== apiBefore) this.emitNewEmail(user, apiAfter);
  }

  private emitNewEmail(user: UserRecord, newEmail: string): void {
    this.emit({
      type: 'realm_user',
      build: () => ({ type: 'realm_user', op: 'update', person: { user_id: user.user_id, new_email: newEmail } }),
    });
  }

  private changeProfileField(user: UserRecord, change: { id: number; value: string | null; rendered_value?: string }): void {
    if (user.is_bot) throw new OrgError('Bots have no custom profile fields');
    if (typeof change !== 'object' || change === null) throw new OrgError('custom_profile_field must be an object');
    const field = this.requireField(change.id);
    let sent: Record<string, unknown>;
    if (change.value === null) {
      user.profile_data.delete(field.id);
      sent = { id: field.id, value: null };
    } else {
      const value = this.profileValue(field, { value: change.value, rendered_value: change.rendered_value });
      user.profile_data.set(field.id, value);
      sent = { id: field.id, ...value };
    }
    this.changed(user, { custom_profile_field: sent });
  }

  private setActive(user: UserRecord, active: boolean): void {
    if (typeof active !== 'boolean') throw new OrgError('is_active must be a boolean');
    if (user.is_active === active) return;
    user.is_active = active;
    this.views.invalidate(user.user_id);
    if (this.realm.featureLevel >= 222) {
      this.changed(user, { is_active: active });
      return;
    }
    // Before feature level 222 Zulip announced deactivation as "remove" and reactivation as "add".
    this.emit({
      type: 'realm_user',
      build: ({ viewer, clientGravatar }) =>
        active
          ? { type: 'realm_user', op: 'add', person: this.views.object(viewer, user, { clientGravatar, includeProfileData: true }) }
          : { type: 'realm_user', op: 'remove', person: { user_id: user.user_id, full_name: user.full_name } },
    });
  }
}

function viewerOf(user: UserRecord): Viewer {
  return { user_id: user.user_id, role: user.role };
}

/** Python's datetime.isoformat() with microseconds and a UTC offset, as Zulip sends date_joined. */
export function isoWithMicros(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}
