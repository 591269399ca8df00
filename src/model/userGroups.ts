// The organization's user groups, from POST /register's `realm_user_groups` and kept live by
// `user_group` events (add, update, add_members, remove_members, add_subgroups,
// remove_subgroups, remove). Plain Node.
import { Emitter } from '../common/emitter';
import * as l10n from '@vscode/l10n';
import type { UserGroup } from '../zulip/types';

/** Zulip's names for system groups (web/src/user_groups.ts), in the display language; undefined for another name. */
export function systemGroupName(name: string): string | undefined {
  switch (name) {
    case 'role:internet':
      return l10n.t('Everyone on the internet');
    case 'role:everyone':
      return l10n.t('Everyone including guests');
    case 'role:members':
      return l10n.t('Everyone except guests');
    case 'role:fullmembers':
      return l10n.t('Full members');
    case 'role:moderators':
      return l10n.t('Moderators');
    case 'role:administrators':
      return l10n.t('Administrators');
    case 'role:owners':
      return l10n.t('Owners');
    case 'role:nobody':
      return l10n.t('Nobody');
    default:
      return undefined;
  }
}

/** The name Zulip shows for a group: system groups by their role, others as named. */
export function groupDisplayName(group: Pick<UserGroup, 'name' | 'is_system_group'>): string {
  return (group.is_system_group && systemGroupName(group.name)) || group.name;
}

function ids(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
}

function isGroup(value: unknown): value is UserGroup {
  const g = value as Partial<UserGroup> | null;
  return typeof g === 'object' && g !== null && typeof g.id === 'number' && typeof g.name === 'string';
}

function normalized(group: UserGroup): UserGroup {
  return {
    ...group,
    description: typeof group.description === 'string' ? group.description : '',
    members: ids(group.members),
    direct_subgroup_ids: ids(group.direct_subgroup_ids),
  };
}

export class UserGroups {
  private readonly byId = new Map<number, UserGroup>();
  private loaded = false;
  /** Replaced on every change, never changed: callers may cache what they derive per list. */
  private list: UserGroup[] = [];
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;

  /** Whether the groups came with the registration (false on a server that does not send them). */
  get isLoaded(): boolean {
    return this.loaded;
  }

  all(): readonly UserGroup[] {
    return this.list;
  }

  get(id: number): UserGroup | undefined {
    return this.byId.get(id);
  }

  reset(groups: unknown): void {
    this.byId.clear();
    this.loaded = Array.isArray(groups);
    if (Array.isArray(groups)) for (const group of groups) if (isGroup(group)) this.byId.set(group.id, normalized(group));
    this.list = [...this.byId.values()];
    this.changed.fire();
  }

  /** One `user_group` event; unknown ops and groups change nothing. */
  applyEvent(event: Record<string, unknown>): void {
    const op = event.op;
    if (op === 'add') {
      if (isGroup(event.group)) this.byId.set(event.group.id, normalized(event.group));
      else return;
    } else {
      const group = typeof event.group_id === 'number' ? this.byId.get(event.group_id) : undefined;
      if (!group) return;
      if (op === 'remove') this.byId.delete(group.id);
      else if (op === 'update' && typeof event.data === 'object' && event.data !== null) {
        this.byId.set(group.id, normalized({ ...group, ...(event.data as Partial<UserGroup>), id: group.id }));
      } else if (op === 'add_members') this.byId.set(group.id, { ...group, members: [...new Set([...group.members, ...ids(event.user_ids)])] });
      else if (op === 'remove_members') {
        const gone = new Set(ids(event.user_ids));
        this.byId.set(group.id, { ...group, members: group.members.filter((id) => !gone.has(id)) });
      } else if (op === 'add_subgroups') {
        this.byId.set(group.id, { ...group, direct_subgroup_ids: [...new Set([...(group.direct_subgroup_ids ?? []), ...ids(event.direct_subgroup_ids)])] });
      } else if (op === 'remove_subgroups') {
        const gone = new Set(ids(event.direct_subgroup_ids));
        this.byId.set(group.id, { ...group, direct_subgroup_ids: (group.direct_subgroup_ids ?? []).filter((id) => !gone.has(id)) });
      } else return;
    }
    this.list = [...this.byId.values()];
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Distinct members of a group and, recursively, of its subgroups. */
export function countGroupMembers(group: UserGroup, all: readonly UserGroup[]): number {
  const byId = new Map(all.map((g) => [g.id, g]));
  const members = new Set<number>();
  const seen = new Set<number>();
  const stack = [group];
  while (stack.length) {
    const g = stack.pop()!;
    if (seen.has(g.id)) continue;
    seen.add(g.id);
    for (const id of g.members ?? []) members.add(id);
    for (const sub of g.direct_subgroup_ids ?? []) {
      const subgroup = byId.get(sub);
      if (subgroup) stack.push(subgroup);
    }
  }
  return members.size;
}

/** Whether a member belongs to a group directly or through its subgroups (cycles tolerated). */
export function isGroupMember(userId: number, groupId: number, byId: (id: number) => UserGroup | undefined): boolean {
  const seen = new Set<number>();
  const stack = [groupId];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const group = byId(id);
    if (!group) continue;
    if (group.members.includes(userId)) return true;
    stack.push(...(group.direct_subgroup_ids ?? []));
  }
  return false;
}

/**
 * Whether `userId` may mention the group loudly (can_mention_group): a member of the setting's
 * group, directly or through subgroups. Undefined when the server does not say, when the user is
 * not known, or when the answer hangs on a group this user cannot see (the server decides).
 */
export function mayMentionGroup(group: UserGroup, userId: number | undefined, byId: (id: number) => UserGroup | undefined): boolean | undefined {
  const setting = group.can_mention_group;
  if (userId === undefined || setting === undefined || setting === null) return undefined;
  if (typeof setting === 'object' && ids(setting.direct_members).includes(userId)) return true;
  const stack = typeof setting === 'number' ? [setting] : ids(setting.direct_subgroups);
  const seen = new Set<number>();
  let unseen = false;
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const member = byId(id);
    if (!member) {
      unseen = true;
      continue;
    }
    if (member.members.includes(userId)) return true;
    stack.push(...(member.direct_subgroup_ids ?? []));
  }
  return unseen ? undefined : false;
}

/**
 * The groups a member belongs to, directly or through subgroups (as the web app's
 * get_user_groups_of_user): one pass over the direct members, then up through the parents, so a
 * profile costs one look at each group however deep they nest. Deactivated groups are left out.
 */
export function groupsOfMember(userId: number, groups: readonly UserGroup[]): UserGroup[] {
  const parents = new Map<number, number[]>();
  const found = new Set<number>();
  const stack: number[] = [];
  for (const group of groups) {
    for (const sub of group.direct_subgroup_ids ?? []) {
      const list = parents.get(sub);
      if (list) list.push(group.id);
      else parents.set(sub, [group.id]);
    }
    if (group.members.includes(userId)) stack.push(group.id);
  }
  while (stack.length) {
    const id = stack.pop()!;
    if (found.has(id)) continue;
    found.add(id);
    stack.push(...(parents.get(id) ?? []));
  }
  return groups.filter((group) => found.has(group.id) && !group.deactivated);
}
