// User objects as the API sends them. GET /users for 100,000 members must stay fast, so each
// user's JSON is assembled from cached fragments; only the parts that depend on the requester
// (delivery_email, Gravatar elision) are chosen per request. The organization drops a user's
// fragments whenever it changes that user.
import { createHash } from 'node:crypto';
import { FEATURE } from './features';
import type { EmailVisibility, RealmSettings, Role, UserRecord } from './types';

/** Who is asking: what they may see depends on their role. */
export interface Viewer {
  user_id: number;
  role: Role;
}

export interface UserFormat {
  /** The client computes Gravatar URLs itself, so they may be left out (null). */
  clientGravatar: boolean;
  /** Add profile_data (humans only, as Zulip does). */
  includeProfileData: boolean;
  /** POST /register's realm_users and realm_non_active_users leave is_active out. */
  omitIsActive?: boolean;
  /**
   * Add is_system_bot to cross-realm bots. Only POST /register's cross_realm_bots schema has
   * the key; zulip.yaml's User schema (additionalProperties: false) does not.
   */
  markSystemBots?: boolean;
}

// zerver/models/users.py ROLE_TO_ACCESSIBLE_EMAIL_ADDRESS_VISIBILITY_IDS.
const ACCESSIBLE_VISIBILITY: Record<Role, readonly EmailVisibility[]> = {
  100: [1, 2, 3, 5],
  200: [1, 2, 3, 5],
  300: [1, 2, 5],
  400: [1, 2],
  600: [1],
};

export function canSeeEmail(viewer: Viewer, target: UserRecord): boolean {
  if (viewer.user_id === target.user_id || target.is_bot) return true;
  return ACCESSIBLE_VISIBILITY[viewer.role].includes(target.email_address_visibility);
}

/** The API email: the real address only when its owner shows it to everyone (bots always do). */
export function apiEmail(user: UserRecord, realm: RealmSettings): string {
  if (user.is_bot || user.email_address_visibility === 1) return user.delivery_email;
  return `user${user.user_id}@${realm.fakeEmailDomain}`;
}

export function gravatarUrl(email: string, version: number, medium: boolean): string {
  const hash = createHash('md5').update(email.toLowerCase()).digest('hex');
  return `https://secure.gravatar.com/avatar/${hash}?d=identicon${medium ? '&s=500' : ''}&version=${version}`;
}

/** Path of an uploaded avatar, relative to the site, like a self-hosted Zulip's. */
export function uploadedAvatarPath(user: UserRecord, realm: RealmSettings, medium: boolean): string {
  return `/user_avatars/${realm.realmId}/${user.avatar_hash}${medium ? '-medium' : ''}.png?version=${user.avatar_version}`;
}

export function avatarUrl(user: UserRecord, realm: RealmSettings, medium: boolean): string {
  return user.avatar_source === 'G'
    ? gravatarUrl(user.delivery_email, user.avatar_version, medium)
    : uploadedAvatarPath(user, realm, medium);
}

interface Fragments {
  /** From `{` up to and including timezone. */
  head: string;
  isActive: string;
  dateJoined: string;
  deliveryEmail: string;
  avatarUrl: string | undefined;
  /** Gravatar users whose address is public may have their avatar_url elided. */
  gravatarElidable: boolean;
  /** bot_type and bot_owner_id for bots, "" for humans. */
  bot: string;
  /** is_imported_stub and is_deleted, as the feature level has them. */
  later: string;
  profileData: string;
}

export class UserViews {
  private readonly cache = new Map<number, Fragments>();

  constructor(private readonly realm: RealmSettings) {}

  invalidate(userId: number): void {
    this.cache.delete(userId);
  }

  invalidateAll(): void {
    this.cache.clear();
  }

  /** The user object as JSON text, in Zulip's field order. */
  json(viewer: Viewer, user: UserRecord, format: UserFormat): string {
    const f = this.fragments(user);
    let out = f.head;
    if (!format.omitIsActive) out += f.isActive;
    out += f.dateJoined;
    out += ',"delivery_email":' + (canSeeEmail(viewer, user) ? f.deliveryEmail : 'null');
    out += ',"avatar_url":' + (format.clientGravatar && f.gravatarElidable ? 'null' : this.avatarJson(user, f));
    out += f.bot;
    out += f.later;
    if (format.markSystemBots && user.is_system_bot) out += ',"is_system_bot":true';
    if (format.includeProfileData && !user.is_bot) out += ',"profile_data":' + f.profileData;
    return out + '}';
  }

  object(viewer: Viewer, user: UserRecord, format: UserFormat): Record<string, unknown> {
    return JSON.parse(this.json(viewer, user, format)) as Record<string, unknown>;
  }

  private fragments(user: UserRecord): Fragments {
    const cached = this.cache.get(user.user_id);
    if (cached) return cached;
    const role = user.role;
    // join() gives flat strings; chains of `+` would keep V8 cons-string trees alive per user.
    const head = [
      '{"email":', JSON.stringify(apiEmail(user, this.realm)),
      ',"user_id":', user.user_id,
      ',"avatar_version":', user.avatar_version,
      ',"is_admin":', role === 100 || role === 200,
      ',"is_owner":', role === 100,
      ',"is_guest":', role === 600,
      ',"role":', role,
      ',"is_bot":', user.is_bot,
      ',"full_name":', JSON.stringify(user.full_name),
      ',"timezone":', JSON.stringify(user.timezone),
    ].join('');
    let bot = '';
    if (user.is_bot) {
      bot = [',"bot_type":', JSON.stringify(user.bot_type), ',"bot_owner_id":', JSON.stringify(user.bot_owner_id)].join('');
    }
    let later = '';
    if (this.realm.featureLevel >= FEATURE.IMPORTED_STUB) later += `,"is_imported_stub":${user.is_imported_stub === true}`;
    if (this.realm.featureLevel >= FEATURE.IS_DELETED && user.is_deleted) later += ',"is_deleted":true';
    let profileData = '{}';
    if (user.profile_data.size) {
      const profile: Record<string, { value: string; rendered_value?: string }> = {};
      for (const [fieldId, value] of user.profile_data) profile[String(fieldId)] = { ...value };
      profileData = JSON.stringify(profile);
    }
    const fragments: Fragments = {
      head,
      isActive: user.is_active ? ',"is_active":true' : ',"is_active":false',
      dateJoined: [',"date_joined":', JSON.stringify(user.date_joined)].join(''),
      deliveryEmail: JSON.stringify(user.delivery_email),
      avatarUrl: undefined,
      gravatarElidable: user.avatar_source === 'G' && (user.is_bot || user.email_address_visibility === 1),
      bot,
      later,
      profileData,
    };
    this.cache.set(user.user_id, fragments);
    return fragments;
  }

  /** Computed on first need: Gravatar URLs cost an MD5 and are often elided. */
  private avatarJson(user: UserRecord, fragments: Fragments): string {
    fragments.avatarUrl ??= JSON.stringify(avatarUrl(user, this.realm, false));
    return fragments.avatarUrl;
  }
}
