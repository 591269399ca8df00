// Models of the Zulip API's data, taken from zulip.yaml (Zulip Server 10.2) and the endpoint docs.
// Servers of other versions send more or fewer fields: everything not guaranteed since the oldest
// supported server is optional, and unknown fields are kept as they come.

/** Organization-level role. */
export const enum Role {
  Owner = 100,
  Administrator = 200,
  Moderator = 300,
  Member = 400,
  Guest = 600,
}

export const enum BotType {
  Generic = 1,
  IncomingWebhook = 2,
  OutgoingWebhook = 3,
  Embedded = 4,
}

export interface ProfileDataValue {
  value: string;
  /** HTML the server rendered from `value`; user-written, so it must be sanitized before display. */
  rendered_value?: string;
}

/** Custom profile field values keyed by the field's id as a string. */
export type ProfileData = Record<string, ProfileDataValue>;

export interface User {
  user_id: number;
  /** The real address, or null when its owner hides it from you. */
  delivery_email: string | null;
  /** The API email: real only when visible to everyone, else `user{id}@{host}`. */
  email: string;
  full_name: string;
  date_joined: string;
  is_active: boolean;
  is_owner: boolean;
  is_admin: boolean;
  is_guest: boolean;
  is_bot: boolean;
  bot_type: BotType | null;
  bot_owner_id: number | null;
  /** Set on the server's own bots (cross_realm_bots): not members of any one organization. */
  is_system_bot?: boolean;
  role: Role;
  /** IANA time zone; may be empty or invalid. */
  timezone: string;
  /** Null when the avatar is a Gravatar the client computes (client_gravatar=true); may be relative. */
  avatar_url: string | null;
  avatar_version: number;
  profile_data?: ProfileData;
  /** Imported user who has not logged in yet (newer servers). */
  is_imported_stub?: boolean;
  /** The account was deleted (FL 490; present only when true): shown as deleted, with no actions. */
  is_deleted?: boolean;
}

export interface OwnUser extends User {
  /** The current user always sees their own real address. */
  delivery_email: string;
  avatar_url: string;
  max_message_id?: number;
}

export interface AuthenticationMethods {
  [method: string]: boolean;
}

export interface ExternalAuthenticationMethod {
  name: string;
  display_name: string;
  display_icon: string | null;
  login_url: string;
  signup_url: string;
}

export interface ServerSettings {
  /** 0 when the server is too old to report it. */
  zulip_feature_level: number;
  zulip_version: string;
  zulip_merge_base?: string;
  push_notifications_enabled?: boolean;
  is_incompatible?: boolean;
  email_auth_enabled?: boolean;
  require_email_format_usernames?: boolean;
  authentication_methods?: AuthenticationMethods;
  external_authentication_methods?: ExternalAuthenticationMethod[];
  realm_url?: string;
  realm_name?: string;
  realm_icon?: string;
  realm_description?: string;
  realm_web_public_access_enabled?: boolean;
}

export const enum ProfileFieldType {
  ShortText = 1,
  LongText = 2,
  Select = 3,
  Date = 4,
  Link = 5,
  Users = 6,
  ExternalAccount = 7,
  Pronouns = 8,
}

export interface CustomProfileField {
  id: number;
  type: ProfileFieldType;
  order: number;
  name: string;
  hint: string;
  /** JSON text whose shape depends on `type` (options of a select, subtype of an external account). */
  field_data: string;
  display_in_profile_summary?: boolean;
  required?: boolean;
  editable_by_user?: boolean;
}

export interface UserGroup {
  id: number;
  name: string;
  description: string;
  members: number[];
  direct_subgroup_ids?: number[];
  is_system_group?: boolean;
  deactivated?: boolean;
  /** Who may mention the group: a group id, or (FL 258) a group-setting object. */
  can_mention_group?: GroupSettingValue;
}

/** A group setting: a group id, or an anonymous group of direct members and subgroups (FL 258). */
export type GroupSettingValue = number | { direct_members: number[]; direct_subgroups: number[] };

/** A user status as /register and user_status events carry it; "" clears a field. */
export interface UserStatusData {
  status_text?: string;
  emoji_name?: string;
  emoji_code?: string;
  reaction_type?: string;
  away?: boolean;
}

/** A custom emoji of the organization (GET /realm/emoji). */
export interface RealmEmoji {
  id: string;
  name: string;
  source_url: string;
  still_url?: string | null;
  deactivated?: boolean;
}

/** Modern presence of one member (UNIX seconds): last active, last connected. */
export interface ModernPresence {
  active_timestamp?: number;
  idle_timestamp?: number;
}

export type PresenceStatus = 'active' | 'idle';

export interface PresenceInfo {
  status: PresenceStatus;
  timestamp: number;
}

export interface RealmPresence {
  server_timestamp: number;
  /** Keyed by API email. */
  presences: Record<string, { aggregated?: PresenceInfo; [client: string]: PresenceInfo | undefined }>;
}

export interface JwtApiKey {
  api_key: string;
  /** The real email to use for Basic auth from now on. */
  email: string;
  user?: User;
}

export interface RegisterResponse {
  queue_id: string;
  last_event_id: number;
  event_queue_longpoll_timeout_seconds?: number;
  zulip_feature_level?: number;
  realm_users?: User[];
  realm_non_active_users?: User[];
  custom_profile_fields?: CustomProfileField[];
  /** Modern (keyed by user id, slim_presence) or legacy (keyed by email) presence. */
  presences?: Record<string, unknown>;
  presence_last_update_id?: number;
  server_timestamp?: number;
  server_presence_offline_threshold_seconds?: number;
  user_status?: Record<string, UserStatusData>;
  realm_user_groups?: UserGroup[];
  /** Custom emoji by id. */
  realm_emoji?: Record<string, RealmEmoji>;
  /** With `realm_user`: the server's own bots, found by mentions in every organization. */
  cross_realm_bots?: User[];
  /** With `realm`: the language of code blocks that name none ('' or null: none). */
  realm_default_code_block_language?: string | null;
}

/** One change to a member, as `realm_user` `op: "update"` events carry it. */
export interface RealmUserUpdatePerson {
  user_id: number;
  full_name?: string;
  avatar_url?: string | null;
  avatar_version?: number;
  avatar_source?: string;
  avatar_url_medium?: string;
  timezone?: string;
  bot_owner_id?: number | null;
  role?: Role;
  delivery_email?: string | null;
  custom_profile_field?: { id: number; value: string | null; rendered_value?: string };
  new_email?: string;
  is_active?: boolean;
  is_billing_admin?: boolean;
}

export type ZulipEvent =
  | { id: number; type: 'heartbeat' }
  | { id: number; type: 'realm_user'; op: 'add'; person: User }
  | { id: number; type: 'realm_user'; op: 'update'; person: RealmUserUpdatePerson }
  | { id: number; type: 'realm_user'; op: 'remove'; person: { user_id: number; full_name?: string } }
  | { id: number; type: 'custom_profile_fields'; fields: CustomProfileField[] }
  | { id: number; type: string; [key: string]: unknown };
