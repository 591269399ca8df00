// User groups in the shapes Zulip sends (GET /user_groups, realm_user_groups, user_group
// events), by feature level: each permission setting, subgroups, deactivation and the creator
// appear at the level that introduced them.
import { FEATURE } from './features';
import type { Org } from './org';
import type { GroupSettingName, GroupSettingValue, UserGroupRecord } from './types';

/** System group ids of the seed (zerver/lib/user_groups.py names them role:...). */
export const SYSTEM_GROUP = {
  internet: 1,
  everyone: 2,
  members: 3,
  fullmembers: 4,
  moderators: 5,
  administrators: 6,
  owners: 7,
  nobody: 8,
} as const;

export const DEFAULT_GROUP_SETTINGS: Record<GroupSettingName, GroupSettingValue> = {
  can_add_members_group: SYSTEM_GROUP.administrators,
  can_join_group: SYSTEM_GROUP.nobody,
  can_leave_group: SYSTEM_GROUP.everyone,
  can_manage_group: SYSTEM_GROUP.nobody,
  can_mention_group: SYSTEM_GROUP.everyone,
  can_remove_members_group: SYSTEM_GROUP.administrators,
};

/** The level each setting appeared at (can_mention_group is handled on its own). */
const SETTING_LEVELS: ReadonlyArray<[GroupSettingName, number]> = [
  ['can_add_members_group', FEATURE.can_add_members_group],
  ['can_join_group', FEATURE.can_join_group],
  ['can_leave_group', FEATURE.can_leave_group],
  ['can_manage_group', FEATURE.CAN_MANAGE_GROUP],
  ['can_remove_members_group', FEATURE.can_remove_members_group],
];

/** Before anonymous groups existed (258) a setting was a group id; an object reads as everyone. */
function settingForLevel(value: GroupSettingValue, featureLevel: number): GroupSettingValue {
  if (typeof value === 'number' || featureLevel >= FEATURE.GROUP_SETTING_OBJECTS) return structuredClone(value);
  return SYSTEM_GROUP.everyone;
}

/** Direct members; before feature level 303 deactivated members were listed too. */
export function directMembers(org: Org, group: UserGroupRecord): number[] {
  if (org.realm.featureLevel >= FEATURE.GROUP_MEMBERS_ACTIVE_ONLY || group.membership.kind === 'roles') return org.groupMembers(group);
  return group.membership.userIds.filter((id) => org.getUser(id) !== undefined);
}

export function groupForApi(org: Org, group: UserGroupRecord): Record<string, unknown> {
  const level = org.realm.featureLevel;
  const out: Record<string, unknown> = {
    id: group.id,
    name: group.name,
    description: group.description,
    members: directMembers(org, group),
  };
  if (level >= FEATURE.GROUP_SUBGROUPS) out.direct_subgroup_ids = [...group.direct_subgroup_ids];
  if (level >= FEATURE.GROUP_CREATOR) {
    out.creator_id = group.creator_id;
    out.date_created = group.date_created;
  }
  out.is_system_group = group.is_system_group;
  if (level >= FEATURE.GROUP_DEACTIVATION) out.deactivated = group.deactivated;
  if (level >= FEATURE.CAN_MENTION_GROUP) out.can_mention_group = settingForLevel(group.settings.can_mention_group, level);
  else if (level >= FEATURE.CAN_MENTION_GROUP_ID) out.can_mention_group_id = settingForLevel(group.settings.can_mention_group, FEATURE.CAN_MENTION_GROUP_ID);
  for (const [name, since] of SETTING_LEVELS) if (level >= since) out[name] = settingForLevel(group.settings[name], level);
  return out;
}

/** The groups a client sees: deactivated ones only when it asked (and the level has them). */
export function groupsForApi(org: Org, includeDeactivated: boolean): Record<string, unknown>[] {
  return org.userGroups.filter((group) => !group.deactivated || includeDeactivated).map((group) => groupForApi(org, group));
}
