// Which users a member may see (zerver/lib/users.py get_accessible_user_ids). Everyone sees
// everyone unless the organization restricts guests (can_access_all_users_group set to
// role:members); a restricted guest then sees themselves, bots, and the people they share
// something with. This server has no channels or messages, so "sharing" is modelled as being in
// a common user-defined group.
import type { Org } from './org';
import type { UserRecord } from './types';

/** Zulip's UserProfile.INACCESSIBLE_USER_NAME. */
export const INACCESSIBLE_USER_NAME = 'Unknown user';
/** Zulip's avatar for inaccessible users (get_avatar_for_inaccessible_user). */
export const UNKNOWN_USER_AVATAR_PATH = '/static/images/unknown-user-avatar.png';

/** undefined: the viewer may see everyone. */
export function accessibleUserIds(org: Org, viewer: UserRecord): Set<number> | undefined {
  if (viewer.role !== 600 || !org.realm.guestsRestricted) return undefined;
  const ids = new Set<number>([viewer.user_id]);
  for (const user of org.users.values()) if (user.is_bot) ids.add(user.user_id);
  for (const group of org.userGroups) {
    if (group.is_system_group || group.membership.kind !== 'users' || !group.membership.userIds.includes(viewer.user_id)) continue;
    for (const id of group.membership.userIds) ids.add(id);
  }
  return ids;
}

export function canAccess(org: Org, viewer: UserRecord, target: UserRecord | number): boolean {
  const ids = accessibleUserIds(org, viewer);
  return !ids || ids.has(typeof target === 'number' ? target : target.user_id);
}

/** get_data_for_inaccessible_user: the placeholder clients without user_list_incomplete get. */
export function unknownUser(org: Org, user: UserRecord): Record<string, unknown> {
  return {
    email: `user${user.user_id}@${org.realm.fakeEmailDomain}`,
    user_id: user.user_id,
    avatar_version: 1,
    is_admin: false,
    is_owner: false,
    is_guest: false,
    role: 400,
    is_bot: false,
    full_name: INACCESSIBLE_USER_NAME,
    timezone: '',
    date_joined: new Date(org.realm.dateCreated * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    delivery_email: null,
    avatar_url: UNKNOWN_USER_AVATAR_PATH,
    profile_data: {},
  };
}
