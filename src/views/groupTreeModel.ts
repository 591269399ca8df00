// The Groups view's structure: named groups first, then system groups under Zulip's names in
// Zulip's role order, each with its member count; a group's children are its direct members by
// name, then its subgroups. Deactivated groups and members show only with the Members view's
// "show deactivated" toggle. No vscode import: tested directly.
import * as l10n from '@vscode/l10n';
import { countGroupMembers, groupDisplayName } from '../model/userGroups';
import type { User, UserGroup } from '../zulip/types';
import { memberCount } from './memberRowText';

/** Zulip's system groups from the most to the least privileged. */
const SYSTEM_ORDER = ['role:owners', 'role:administrators', 'role:moderators', 'role:fullmembers', 'role:members', 'role:everyone', 'role:internet', 'role:nobody'];

function systemRank(group: UserGroup): number {
  const rank = SYSTEM_ORDER.indexOf(group.name);
  return rank < 0 ? SYSTEM_ORDER.length : rank;
}

/** Groups in the view's order; deactivated ones only when asked for. */
export function sortGroups(groups: readonly UserGroup[], showDeactivated: boolean): UserGroup[] {
  return groups
    .filter((g) => showDeactivated || !g.deactivated)
    .sort((a, b) => {
      if (!!a.is_system_group !== !!b.is_system_group) return a.is_system_group ? 1 : -1;
      if (a.is_system_group) return systemRank(a) - systemRank(b) || a.name.localeCompare(b.name);
      return groupDisplayName(a).localeCompare(groupDisplayName(b));
    });
}

/** "Administrators", "design (deactivated)": the row's label. */
export function groupRowLabel(group: UserGroup): string {
  return group.deactivated ? l10n.t('{0} (deactivated)', groupDisplayName(group)) : groupDisplayName(group);
}

/** "3 members", counting subgroups' members once each. */
export function groupRowDescription(group: UserGroup, all: readonly UserGroup[], locale?: string): string {
  const count = countGroupMembers(group, all);
  return memberCount(count, locale);
}

export interface GroupChildren {
  members: User[];
  /** Member ids the member list lacks: people a restricted guest may not see, shown as "Unknown user". */
  unknown: number[];
  subgroups: UserGroup[];
}

/**
 * A group's direct members by name, the ids the member list lacks (only once it has loaded:
 * before that every id is missing), then its subgroups in the view's order.
 */
export function groupChildren(
  group: UserGroup,
  member: (id: number) => User | undefined,
  all: readonly UserGroup[],
  showDeactivated: boolean,
  membersLoaded = true,
): GroupChildren {
  const unknown: number[] = [];
  const members: User[] = [];
  for (const id of group.members) {
    const user = member(id);
    if (!user) unknown.push(id);
    else if (showDeactivated || user.is_active) members.push(user);
  }
  members.sort((a, b) => a.full_name.localeCompare(b.full_name));
  const byId = new Map(all.map((g) => [g.id, g]));
  const subgroups = sortGroups(
    (group.direct_subgroup_ids ?? []).map((id) => byId.get(id)).filter((g): g is UserGroup => !!g),
    showDeactivated,
  );
  return { members, unknown: membersLoaded ? unknown : [], subgroups };
}
