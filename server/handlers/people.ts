// Presence, user status, custom emoji and user groups: GET /realm/presence,
// POST /users/me/presence, GET /users/{id_or_email}/presence, POST /users/me/status,
// GET /users/{id}/status, GET /realm/emoji, GET /user_groups, GET|POST /user_groups/{id}/members.
import { accessibleUserIds, canAccess } from '../access';
import { requireUser, type ApiContext } from '../context';
import { realmEmojiForApi } from '../emoji';
import { FEATURE } from '../features';
import { groupsForApi } from '../groups';
import { OrgError, type GroupChange, type Org } from '../org';
import { missing } from '../params';
import {
  DEFAULT_HISTORY_DAYS,
  legacyPresenceEntry,
  modernPresence,
  OFFLINE_THRESHOLD_SECONDS,
  SECONDS_PER_DAY,
} from '../presence';
import { badRequest, success, type Reply } from '../reply';
import type { GroupSettingName, GroupSettingValue, UserRecord } from '../types';
import { formatStatus, isEmptyStatus } from '../userStatus';

function ignoredFor(context: ApiContext): string[] {
  return context.org.realm.featureLevel >= 167 ? context.params.ignored() : [];
}

/** Zulip's human_users_only. */
function requireHuman(context: ApiContext): UserRecord {
  const user = requireUser(context);
  if (user.is_bot) throw badRequest('This endpoint does not accept bot requests.');
  return user;
}

/** Zulip's require_member_or_admin. */
function requireMember(context: ApiContext): UserRecord {
  const user = requireUser(context);
  if (user.role === 600) throw badRequest('Not allowed for guest users');
  return user;
}

/** Mutations of the model report bad input as OrgError; the API answers them as 400s. */
function asApiError<T>(body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof OrgError) throw badRequest(error.message);
    throw error;
  }
}

export interface PresenceQuery {
  slim: boolean;
  /** Only rows updated after this (the last_update_id protocol). */
  lastUpdateId?: number;
  historyDays?: number;
}

/** get_presence_dict_by_realm: active humans whose last connection is within the history window. */
export function presenceForApi(org: Org, query: PresenceQuery): { presences: Record<string, unknown>; lastUpdateId: number } {
  const presences: Record<string, unknown> = {};
  if (query.historyDays === 0) return { presences, lastUpdateId: query.lastUpdateId ?? -1 };
  const since = org.clock.unix() - (query.historyDays ?? DEFAULT_HISTORY_DAYS) * SECONDS_PER_DAY;
  const filterByTime = query.lastUpdateId === undefined || query.lastUpdateId <= 0;
  let maxId: number | undefined;
  for (const [userId, row] of org.presence) {
    if (query.lastUpdateId !== undefined && row.lastUpdateId <= query.lastUpdateId) continue;
    if (filterByTime && row.lastConnected < since) continue;
    const user = org.getUser(userId);
    if (!user || !user.is_active || user.is_bot) continue;
    const joined = org.joinedAt(user);
    presences[query.slim ? String(userId) : org.apiEmail(user)] = query.slim ? modernPresence(row, joined) : legacyPresenceEntry(row, joined);
    maxId = Math.max(maxId ?? row.lastUpdateId, row.lastUpdateId);
  }
  return { presences, lastUpdateId: maxId ?? query.lastUpdateId ?? -1 };
}

export function getRealmPresence(context: ApiContext): Reply {
  requireUser(context);
  const { presences } = presenceForApi(context.org, { slim: false });
  return success({ server_timestamp: context.org.clock.seconds(), presences }, ignoredFor(context));
}

export function updatePresence(context: ApiContext): Reply {
  const user = requireHuman(context);
  const { org, params } = context;
  const level = org.realm.featureLevel;
  const status = params.string('status');
  if (status === undefined) throw missing('status');
  if (status !== 'active' && status !== 'idle') throw badRequest(`Invalid status: ${status}`);
  const lastUpdateId = level >= FEATURE.PRESENCE_LAST_UPDATE_ID ? params.int('last_update_id') : undefined;
  const historyDays = level >= FEATURE.PRESENCE_HISTORY_LIMIT ? params.int('history_limit_days') : undefined;
  const pingOnly = params.bool('ping_only', false);
  // The modern form when last_update_id is given (that is its protocol) or slim_presence asks.
  const slim = params.bool('slim_presence', false) || lastUpdateId !== undefined;
  params.bool('new_user_input', false);
  org.reportPresence(user.user_id, status);
  if (pingOnly) return success({}, ignoredFor(context));
  const result = presenceForApi(org, { slim, lastUpdateId, historyDays });
  const data: Record<string, unknown> = { presences: result.presences, server_timestamp: org.clock.seconds() };
  if (level >= FEATURE.PRESENCE_LAST_UPDATE_ID) data.presence_last_update_id = result.lastUpdateId;
  return success(data, ignoredFor(context));
}

/** The legacy single-user form: client and pushable dropped, aggregated offline when stale. */
function legacySingle(entry: Record<string, unknown>, now: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    const { status, timestamp } = value as { status: string; timestamp: number };
    out[key] = { status: key === 'aggregated' && now - timestamp > OFFLINE_THRESHOLD_SECONDS ? 'offline' : status, timestamp };
  }
  return out;
}

export function getUserPresence(context: ApiContext): Reply {
  requireUser(context);
  const { org } = context;
  const level = org.realm.featureLevel;
  const key = context.pathArgs[0];
  let target: UserRecord | undefined;
  if (/^\d+$/.test(key)) {
    target = org.getUser(Number(key));
  } else {
    const wanted = key.trim().toLowerCase();
    target = [...org.users.values()].find((user) => org.apiEmail(user).toLowerCase() === wanted);
  }
  if (!target || !target.is_active) throw badRequest('No such user');
  if (target.is_bot) throw badRequest('Presence is not supported for bot users.');
  const row = org.presence.get(target.user_id);
  if (!row) throw badRequest(`No presence data for ${key}`);
  const joined = org.joinedAt(target);
  const now = org.clock.unix();
  if (level < FEATURE.SINGLE_PRESENCE_MODERN) return success({ presence: legacySingle(legacyPresenceEntry(row, joined), now) }, ignoredFor(context));
  const modern = modernPresence(row, joined);
  if (level < FEATURE.SINGLE_PRESENCE_BOTH) return success({ presence: modern }, ignoredFor(context));
  return success({ presence: { ...legacySingle(legacyPresenceEntry(row, joined), now), ...modern }, server_timestamp: org.clock.seconds() }, ignoredFor(context));
}

/** The user_status map of POST /register: only users with something set, active ones. */
export function userStatusForApi(org: Org, viewer: UserRecord): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const level = org.realm.featureLevel;
  const accessible = accessibleUserIds(org, viewer);
  for (const user of org.users.values()) {
    if (!user.is_active || (accessible && !accessible.has(user.user_id))) continue;
    // Only users with a UserStatus row (ever set through the status endpoint), as Zulip queries them.
    const status = org.statuses.get(user.user_id);
    const enabled = user.presence_enabled ?? true;
    if (!status || isEmptyStatus(status, enabled)) continue;
    const formatted = formatStatus(status, level >= FEATURE.AWAY_IS_PRESENCE_ENABLED ? enabled : true, level);
    if (Object.keys(formatted).length) out[String(user.user_id)] = formatted;
  }
  return out;
}

export function updateStatus(context: ApiContext): Reply {
  const user = requireHuman(context);
  const { params, org } = context;
  const away = params.has('away') ? params.bool('away', false) : undefined;
  const emoji = org.realm.featureLevel >= FEATURE.STATUS_EMOJI;
  asApiError(() =>
    org.updateStatus(user.user_id, {
      away,
      status_text: params.string('status_text'),
      emoji_name: emoji ? params.string('emoji_name') : undefined,
      emoji_code: emoji ? params.string('emoji_code') : undefined,
      reaction_type: emoji ? params.string('reaction_type') : undefined,
    }),
  );
  return success({}, ignoredFor(context));
}

export function getUserStatus(context: ApiContext): Reply {
  const viewer = requireUser(context);
  const { org } = context;
  const target = org.getUser(Number(context.pathArgs[0]));
  if (!target || !target.is_active || target.is_bot || !canAccess(org, viewer, target)) throw badRequest('No such user');
  const status = org.statuses.get(target.user_id);
  return success({ status: status ? formatStatus(status, target.presence_enabled ?? true, org.realm.featureLevel) : {} }, ignoredFor(context));
}

export function getRealmEmoji(context: ApiContext): Reply {
  requireUser(context);
  return success({ emoji: realmEmojiForApi(context.org.realmEmoji, context.org.realm) }, ignoredFor(context));
}

/** include_deactivated_groups from 294; allow_deactivated from 290 to 293. */
function includeDeactivatedParam(context: ApiContext): boolean {
  const level = context.org.realm.featureLevel;
  if (level >= FEATURE.INCLUDE_DEACTIVATED_GROUPS) return context.params.bool('include_deactivated_groups', false);
  if (level >= FEATURE.GROUP_DEACTIVATION) return context.params.bool('allow_deactivated', false);
  return false;
}

export function getUserGroups(context: ApiContext): Reply {
  requireMember(context);
  return success({ user_groups: groupsForApi(context.org, includeDeactivatedParam(context)) }, ignoredFor(context));
}

function pathGroup(context: ApiContext) {
  const group = context.org.getGroup(Number(context.pathArgs[0]));
  if (!group) throw badRequest('Invalid user group');
  return group;
}

export function getUserGroupMembers(context: ApiContext): Reply {
  requireUser(context);
  const group = pathGroup(context);
  const direct = context.params.bool('direct_member_only', false);
  const members = direct ? context.org.groupMembers(group) : context.org.recursiveGroupMembers(group);
  return success({ members }, ignoredFor(context));
}

export function updateUserGroupMembers(context: ApiContext): Reply {
  requireMember(context);
  const { org, params } = context;
  const group = pathGroup(context);
  const add = params.intList('add') ?? [];
  const remove = params.intList('delete') ?? [];
  const subgroups = org.realm.featureLevel >= FEATURE.GROUP_MEMBERS_SUBGROUPS;
  const addSubgroups = subgroups ? (params.intList('add_subgroups') ?? []) : [];
  const removeSubgroups = subgroups ? (params.intList('delete_subgroups') ?? []) : [];
  if (!add.length && !remove.length && !addSubgroups.length && !removeSubgroups.length) throw badRequest('Nothing to do. Specify at least one of "add", "delete", "add_subgroups" or "delete_subgroups".');
  if (group.is_system_group) throw badRequest('Insufficient permission');
  asApiError(() => {
    if (add.length) org.addGroupMembers(group.id, add);
    if (remove.length) org.removeGroupMembers(group.id, remove);
    if (addSubgroups.length) org.addSubgroups(group.id, addSubgroups);
    if (removeSubgroups.length) org.removeSubgroups(group.id, removeSubgroups);
  });
  return success({}, ignoredFor(context));
}

const GROUP_SETTING_NAMES = ['can_add_members_group', 'can_join_group', 'can_leave_group', 'can_manage_group', 'can_mention_group', 'can_remove_members_group'] as const;

/** A group-setting value as the API takes it: an id, or {direct_members, direct_subgroups}. */
function groupSettingValue(value: unknown, name: string): GroupSettingValue {
  if (Number.isInteger(value)) return value as number;
  const object = value as { direct_members?: unknown; direct_subgroups?: unknown } | null;
  const ids = (list: unknown): list is number[] => Array.isArray(list) && list.every((id) => Number.isInteger(id));
  if (object && typeof object === 'object' && ids(object.direct_members) && ids(object.direct_subgroups)) {
    return { direct_members: object.direct_members, direct_subgroups: object.direct_subgroups };
  }
  throw badRequest(`Invalid ${name}`);
}

/** The settings a request names, each from the level that introduced it. */
function groupSettingsParams(context: ApiContext, wrapped: boolean): Partial<Record<GroupSettingName, GroupSettingValue>> {
  const settings: Partial<Record<GroupSettingName, GroupSettingValue>> = {};
  for (const name of GROUP_SETTING_NAMES) {
    const since = name === 'can_mention_group' ? FEATURE.CAN_MENTION_GROUP : FEATURE[name === 'can_manage_group' ? 'CAN_MANAGE_GROUP' : name];
    if (context.org.realm.featureLevel < since || !context.params.has(name)) continue;
    const raw = context.params.json(name);
    // PATCH takes {new, old?} (feature level 260); creation the value itself.
    settings[name] = groupSettingValue(wrapped && raw !== null && typeof raw === 'object' && 'new' in raw ? (raw).new : raw, name);
  }
  return settings;
}

export function createUserGroup(context: ApiContext): Reply {
  const user = requireMember(context);
  const { org, params } = context;
  const name = params.requiredString('name');
  const description = params.requiredString('description');
  const members = params.intList('members');
  if (members === undefined) throw missing('members');
  const subgroups = org.realm.featureLevel >= FEATURE.GROUP_MEMBERS_SUBGROUPS ? params.intList('subgroups') : undefined;
  const settings = groupSettingsParams(context, false);
  const group = asApiError(() => org.createGroup({ name, description, members, subgroups, creator_id: user.user_id, settings }));
  return success(org.realm.featureLevel >= FEATURE.CREATE_GROUP_RETURNS_ID ? { group_id: group.id } : {}, ignoredFor(context));
}

export function updateUserGroup(context: ApiContext): Reply {
  requireMember(context);
  const { org, params } = context;
  const group = pathGroup(context);
  const change: GroupChange = { name: params.string('name'), description: params.string('description'), settings: groupSettingsParams(context, true) };
  if (change.name === undefined && change.description === undefined && !Object.keys(change.settings ?? {}).length) throw badRequest('No new data supplied');
  asApiError(() => org.updateGroup(group.id, change));
  return success({}, ignoredFor(context));
}

export function deactivateUserGroup(context: ApiContext): Reply {
  requireMember(context);
  const group = pathGroup(context);
  if (group.deactivated) throw badRequest('User group is already deactivated.');
  asApiError(() => context.org.updateGroup(group.id, { deactivated: true }));
  return success({}, ignoredFor(context));
}

export function updateUserGroupSubgroups(context: ApiContext): Reply {
  requireMember(context);
  const { org, params } = context;
  const group = pathGroup(context);
  const add = params.intList('add') ?? [];
  const remove = params.intList('delete') ?? [];
  if (group.is_system_group) throw badRequest('Insufficient permission');
  asApiError(() => {
    if (add.length) org.addSubgroups(group.id, add);
    if (remove.length) org.removeSubgroups(group.id, remove);
  });
  return success({}, ignoredFor(context));
}

export function getUserGroupSubgroups(context: ApiContext): Reply {
  requireUser(context);
  const group = pathGroup(context);
  const direct = context.params.bool('direct_subgroup_only', false);
  const subgroups = direct ? [...group.direct_subgroup_ids] : [...context.org.allSubgroups(group.id)].sort((a, b) => a - b);
  return success({ subgroups }, ignoredFor(context));
}

export function getIsUserGroupMember(context: ApiContext): Reply {
  requireUser(context);
  const { org } = context;
  const group = pathGroup(context);
  const target = org.getUser(Number(context.pathArgs[1]));
  if (!target || !target.is_active) throw badRequest('No such user');
  const direct = context.params.bool('direct_member_only', false);
  const members = direct ? org.groupMembers(group) : org.recursiveGroupMembers(group);
  return success({ is_user_group_member: members.includes(target.user_id) }, ignoredFor(context));
}
