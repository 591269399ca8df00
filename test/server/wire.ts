// The server's JSON answers as its tests read them: the shapes of zulip.yaml (and of the
// /__control/ API), only as far as a test looks. A field a test checks for absence stays optional.

/** Every Zulip answer: `result`, `msg`, and on errors a `code`. */
export interface ZulipAnswer {
  result: string;
  msg: string;
  code?: string;
  [field: string]: unknown;
}

export interface ProfileValue {
  value: string;
  rendered_value?: string;
}

export interface WireUser {
  user_id: number;
  full_name: string;
  email: string;
  delivery_email: string | null;
  avatar_url: string | null;
  role: number;
  is_admin: boolean;
  is_guest: boolean;
  is_bot: boolean;
  /** Not in POST /register's realm_users (which holds active members only). */
  is_active?: boolean;
  is_system_bot?: boolean;
  bot_type?: number | null;
  bot_owner_id?: number | null;
  timezone: string;
  date_joined: string;
  profile_data?: Record<string, ProfileValue>;
}

export interface WireProfileField {
  id: number;
  name: string;
  type: number;
  order: number;
  field_data: string;
  display_in_profile_summary?: boolean;
}

export interface WireGroup {
  id: number;
  name: string;
  members: number[];
  is_system_group: boolean;
  deactivated?: boolean;
}

export interface PresenceEntry {
  client?: string;
  status: string;
  timestamp: number;
  pushable?: boolean;
}

/** Zulip's legacy presence of one member: per client, and `aggregated`. */
export type LegacyPresence = Record<string, PresenceEntry>;

export interface WireEvent {
  id: number;
  type: string;
  op?: string;
  email?: string;
  person?: Partial<WireUser>;
  fields?: WireProfileField[];
  presence?: LegacyPresence;
}

export interface ServerSettingsAnswer extends ZulipAnswer {
  realm_icon: string;
  authentication_methods: Record<string, boolean>;
}

export interface UsersAnswer extends ZulipAnswer {
  members: WireUser[];
  ignored_parameters_unsupported?: string[];
}

export interface UserAnswer extends ZulipAnswer {
  user: WireUser;
}

export type OwnUserAnswer = ZulipAnswer & WireUser & { max_message_id: number };

export interface ProfileFieldsAnswer extends ZulipAnswer {
  custom_fields: WireProfileField[];
}

export interface PresencesAnswer extends ZulipAnswer {
  server_timestamp: number;
  presences: Record<string, LegacyPresence>;
}

export interface PresenceAnswer extends ZulipAnswer {
  presence: LegacyPresence;
}

export interface GroupsAnswer extends ZulipAnswer {
  user_groups: WireGroup[];
}

export interface RegisterAnswer extends ZulipAnswer {
  queue_id: string;
  last_event_id: number;
  realm_users: WireUser[];
  realm_non_active_users: WireUser[];
  cross_realm_bots: WireUser[];
  custom_profile_fields: WireProfileField[];
  custom_profile_field_types: Record<string, { id: number }>;
  /** Keyed by API email, or by user id with slim_presence. */
  presences: Record<string, Record<string, unknown>>;
  realm_user_groups: WireGroup[];
}

export interface EventsAnswer extends ZulipAnswer {
  queue_id: string;
  events: WireEvent[];
}

export interface ApiKeyAnswer extends ZulipAnswer {
  api_key: string;
  email: string;
  user?: WireUser;
}

/** The /__control/ API's answers: {"ok": true, ...} or {"ok": false, "error": "..."}. */
export interface ControlAnswer {
  ok: boolean;
  error?: string;
  [field: string]: unknown;
}
