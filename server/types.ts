// The organization's data, in the shapes the server keeps (not the shapes it sends).

export type Role = 100 | 200 | 300 | 400 | 600;
export const ROLE = { owner: 100, admin: 200, moderator: 300, member: 400, guest: 600 } as const;

/** 1 generic, 2 incoming webhook, 3 outgoing webhook, 4 embedded. */
export type BotType = 1 | 2 | 3 | 4;

/** Zulip's email_address_visibility: 1 everyone, 2 members, 3 admins, 4 nobody, 5 moderators. */
export type EmailVisibility = 1 | 2 | 3 | 4 | 5;
export const EMAIL_VISIBILITY = { everyone: 1, members: 2, admins: 3, nobody: 4, moderators: 5 } as const;

export interface ProfileValue {
  value: string;
  /** Present only for the Markdown-rendered field types (short and long text). */
  rendered_value?: string;
}

export interface UserRecord {
  user_id: number;
  /** The real address; what the API calls delivery_email when the viewer may see it. */
  delivery_email: string;
  full_name: string;
  /** ISO 8601 with microseconds and offset, as Zulip formats it. */
  date_joined: string;
  is_active: boolean;
  role: Role;
  is_bot: boolean;
  bot_type: BotType | null;
  bot_owner_id: number | null;
  timezone: string;
  /** G: Gravatar, U: uploaded (served from /user_avatars/). */
  avatar_source: 'G' | 'U';
  /** File name stem of an uploaded avatar. */
  avatar_hash: string;
  avatar_version: number;
  email_address_visibility: EmailVisibility;
  /** Keyed by custom profile field id. */
  profile_data: Map<number, ProfileValue>;
  api_key: string;
  is_system_bot?: boolean;
  /** false: "invisible" (presence_enabled off); others see the user offline. Default true. */
  presence_enabled?: boolean;
  /** A placeholder account made by a data import, never logged in (sent from feature level 433). */
  is_imported_stub?: boolean;
  /** A deleted account (sent, only when true, from feature level 490). */
  is_deleted?: boolean;
}

/** 1 short text, 2 long text, 3 list of options, 4 date, 5 link, 6 users, 7 external account, 8 pronouns. */
export type ProfileFieldType = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

export interface CustomProfileField {
  id: number;
  name: string;
  hint: string;
  type: ProfileFieldType;
  /** JSON text for types 3 and 7, "" otherwise. */
  field_data: string;
  order: number;
  required: boolean;
  editable_by_user: boolean;
  /** Zulip sends this key only when it is true. */
  display_in_profile_summary?: boolean;
}

/** A system group's members come from roles; a user-defined group lists them. */
export type GroupMembership =
  | { kind: 'roles'; roles: Role[] }
  | { kind: 'users'; userIds: number[] };

/** A group-setting value: a group id, or an anonymous group of members and subgroups. */
export type GroupSettingValue = number | { direct_members: number[]; direct_subgroups: number[] };

export type GroupSettingName =
  | 'can_add_members_group'
  | 'can_join_group'
  | 'can_leave_group'
  | 'can_manage_group'
  | 'can_mention_group'
  | 'can_remove_members_group';

export interface UserGroupRecord {
  id: number;
  name: string;
  description: string;
  membership: GroupMembership;
  direct_subgroup_ids: number[];
  is_system_group: boolean;
  creator_id: number | null;
  date_created: number | null;
  deactivated: boolean;
  settings: Record<GroupSettingName, GroupSettingValue>;
}

export type { PresenceRow as PresenceRecord } from './presence';

export interface RealmSettings {
  name: string;
  description: string;
  /** Appears in uploaded avatar paths, /user_avatars/{realmId}/... */
  realmId: number;
  /**
   * Domain of the placeholder API emails user{id}@domain. Zulip uses the realm's host when that
   * makes a valid address; host:port never does, so like Zulip we fall back to a fixed domain.
   */
  fakeEmailDomain: string;
  /** UNIX seconds. */
  dateCreated: number;
  deactivated: boolean;
  jwtEnabled: boolean;
  featureLevel: number;
  zulipVersion: string;
  /**
   * can_access_all_users_group is role:members instead of role:everyone: guests see only the
   * users they share a (non-system) group with, and the rest as "Unknown user".
   */
  guestsRestricted: boolean;
  iconPath: string;
  /** realm_default_code_block_language: '' for none; "quote" makes bare ``` fences quotes. */
  defaultCodeBlockLanguage: string;
}
