// Feature levels at which Zulip changed what this server models (zulip.yaml "Changes:" notes,
// API-NOTES.md and Zulip's API changelog for levels after 10.2's 372). The server's configured
// level decides which routes exist and which shapes it sends, as a real server's version would.

export const FEATURE = {
  /** POST /users/me/status takes emoji_name, emoji_code and reaction_type. */
  STATUS_EMOJI: 86,
  /** Custom emoji objects carry still_url (nullable). */
  EMOJI_STILL_URL: 113,
  /** GET /user_groups/{id}/members. */
  GROUP_MEMBERS_ENDPOINT: 127,
  /** Groups carry direct_subgroup_ids. */
  GROUP_SUBGROUPS: 131,
  /** away is a legacy view of presence_enabled. */
  AWAY_IS_PRESENCE_ENABLED: 148,
  /** can_mention_group_id appears (renamed can_mention_group at 198). */
  CAN_MENTION_GROUP_ID: 191,
  CAN_MENTION_GROUP: 198,
  /** can_mention_group may be an anonymous group object, not just an id. */
  GROUP_SETTING_OBJECTS: 258,
  /** GET /users/{id}/status. */
  GET_USER_STATUS: 262,
  /** client capability user_list_incomplete (restricted guests get no placeholder users). */
  USER_LIST_INCOMPLETE: 232,
  /** Presence last_update_id protocol and presence_last_update_id. */
  PRESENCE_LAST_UPDATE_ID: 263,
  /** can_manage_group. */
  CAN_MANAGE_GROUP: 283,
  /** presence_history_limit_days and history_limit_days. */
  PRESENCE_HISTORY_LIMIT: 288,
  /** Deactivated groups exist (deactivated field, allow_deactivated parameter). */
  GROUP_DEACTIVATION: 290,
  /** creator_id and date_created on groups. */
  GROUP_CREATOR: 292,
  /** include_deactivated_groups (parameter and client capability). */
  INCLUDE_DEACTIVATED_GROUPS: 294,
  can_join_group: 301,
  /** Group members lists leave deactivated users out. */
  GROUP_MEMBERS_ACTIVE_ONLY: 303,
  can_add_members_group: 305,
  can_leave_group: 308,
  /** POST /user_groups/{id}/members takes add_subgroups and delete_subgroups. */
  GROUP_MEMBERS_SUBGROUPS: 311,
  /** POST /user_groups/create answers the new group_id. */
  CREATE_GROUP_RETURNS_ID: 317,
  can_remove_members_group: 324,
  /** Zulip Server 10.2: what zulip.yaml describes. */
  SERVER_10_2: 372,
  /** client capability simplified_presence_events: presence events in the modern form. */
  SIMPLIFIED_PRESENCE_EVENTS: 419,
  /** GET /users no longer sends restricted guests "Unknown user" placeholders. */
  NO_GUEST_PLACEHOLDERS_IN_GET_USERS: 437,
  /** is_imported_stub on user objects. */
  IMPORTED_STUB: 433,
  /** GET /users/{id}/presence: active_timestamp and idle_timestamp replace the legacy form. */
  SINGLE_PRESENCE_MODERN: 487,
  /** is_deleted on user objects (present only when true). */
  IS_DELETED: 490,
  /** GET /users/{id}/presence: the legacy form is back beside the modern one, with server_timestamp. */
  SINGLE_PRESENCE_BOTH: 497,
} as const;

export const DEFAULT_FEATURE_LEVEL = FEATURE.SERVER_10_2;
