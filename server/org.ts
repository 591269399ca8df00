// The organization model: members, custom profile fields, user groups and presence. Every
// mutation goes through a method here so that it also produces the events Zulip would send.
import { createHash } from 'node:crypto';
import { renderMarkdown } from './markdown';
import { apiKeyFrom, Random } from './random';
import { apiEmail, avatarUrl, canSeeEmail, UserViews, type Viewer } from './serialize';
import type {
  BotType,
  CustomProfileField,
  EmailVisibility,
  PresenceRecord,
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
  readonly presence = new Map<number, PresenceRecord>();
  readonly views: UserViews;
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
      build: ({ viewer, clientGravatar }) => ({
        type: 'realm_user',
        op: 'add',
        person: this.views.object(viewer, user, { clientGravatar, includeProfileData: true }),
      }),
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
      user.role = change.role;
      this.changed(user, { role: user.role });
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

  setPresence(userId: number, status: 'active' | 'idle', timestamp = Math.floor(Date.now() / 1000)): void {
    const user = this.requireUser(userId);
    if (status !== 'active' && status !== 'idle') throw new OrgError(`Bad presence status ${String(status)}`);
    this.presence.set(userId, { status, timestamp });
    const serverTimestamp = Date.now() / 1000;
    this.emit({
      type: 'presence',
      build: () => ({
        type: 'presence',
        user_id: userId,
        email: this.apiEmail(user),
        server_timestamp: serverTimestamp,
        presence: { website: { client: 'website', status, timestamp, pushable: false } },
      }),
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
