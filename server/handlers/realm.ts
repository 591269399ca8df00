// GET /server_settings, /realm/profile_fields, /realm/presence, /users/{id_or_email}/presence,
// /user_groups.
import { requireUser, type ApiContext } from '../context';
import { badRequest, success, type Reply } from '../reply';
import type { UserRecord } from '../types';

function ignoredFor(context: ApiContext): string[] {
  return context.org.realm.featureLevel >= 167 ? context.params.ignored() : [];
}

export function getServerSettings(context: ApiContext): Reply {
  const { realm } = context.org;
  const data: Record<string, unknown> = {
    authentication_methods: {
      password: true,
      dev: false,
      email: true,
      ldap: false,
      remoteuser: false,
      github: false,
      azuread: false,
      gitlab: false,
      apple: false,
      google: false,
      saml: false,
      'openid connect': false,
    },
    external_authentication_methods: [],
    zulip_feature_level: realm.featureLevel,
    zulip_version: realm.zulipVersion,
    zulip_merge_base: realm.zulipVersion,
    push_notifications_enabled: false,
    is_incompatible: false,
    email_auth_enabled: true,
    require_email_format_usernames: true,
  };
  // Asked at a host that is no organization (a multi-organization server's root domain), Zulip
  // leaves out the organization's own settings.
  if (context.realmHost) {
    data.realm_uri = context.siteUrl;
    if (realm.featureLevel >= 257) data.realm_url = context.siteUrl;
    data.realm_name = realm.name;
    data.realm_icon = `${realm.iconPath}?version=1`;
    data.realm_description = realm.description;
    data.realm_web_public_access_enabled = false;
  }
  return success(data, ignoredFor(context));
}

export function getProfileFields(context: ApiContext): Reply {
  return success({ custom_fields: context.org.profileFieldsForApi() }, ignoredFor(context));
}

/** Zulip's OFFLINE_THRESHOLD_SECS. */
const OFFLINE_THRESHOLD_SECONDS = 140;

export function legacyPresence(context: ApiContext): Record<string, unknown> {
  const presences: Record<string, unknown> = {};
  for (const [userId, record] of context.org.presence) {
    const user = context.org.getUser(userId);
    if (!user || !user.is_active || user.is_bot) continue;
    presences[context.org.apiEmail(user)] = {
      website: { client: 'website', status: record.status, timestamp: record.timestamp, pushable: false },
      aggregated: { client: 'website', status: record.status, timestamp: record.timestamp },
    };
  }
  return presences;
}

export function modernPresence(context: ApiContext): Record<string, unknown> {
  const presences: Record<string, unknown> = {};
  for (const [userId, record] of context.org.presence) {
    const user = context.org.getUser(userId);
    if (!user || !user.is_active || user.is_bot) continue;
    // An active user was also last idle-or-active then; an idle one has no recent activity.
    presences[String(userId)] = {
      active_timestamp: record.status === 'active' ? record.timestamp : record.timestamp - 600,
      idle_timestamp: record.timestamp,
    };
  }
  return presences;
}

export function getRealmPresence(context: ApiContext): Reply {
  requireUser(context);
  const data = { server_timestamp: Date.now() / 1000, presences: legacyPresence(context) };
  return success(data, ignoredFor(context));
}

export function getUserPresence(context: ApiContext): Reply {
  requireUser(context);
  const { org } = context;
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
  const record = org.presence.get(target.user_id);
  if (!record) throw badRequest(`No presence data for ${key}`);
  const stale = Date.now() / 1000 - record.timestamp > OFFLINE_THRESHOLD_SECONDS;
  const status = stale ? 'offline' : record.status;
  const data = { presence: { website: { status, timestamp: record.timestamp }, aggregated: { status, timestamp: record.timestamp } } };
  return success(data, ignoredFor(context));
}

export function userGroupsForApi(context: ApiContext, includeDeactivated: boolean): Record<string, unknown>[] {
  const { org } = context;
  return org.userGroups
    .filter((group) => includeDeactivated || !group.deactivated)
    .map((group) => ({
      id: group.id,
      name: group.name,
      description: group.description,
      members: org.groupMembers(group),
      direct_subgroup_ids: [...group.direct_subgroup_ids],
      creator_id: group.creator_id,
      date_created: group.date_created,
      is_system_group: group.is_system_group,
      deactivated: group.deactivated,
      ...structuredClone(group.settings),
    }));
}

export function getUserGroups(context: ApiContext): Reply {
  requireUser(context);
  const includeDeactivated = context.params.bool('include_deactivated_groups', false);
  return success({ user_groups: userGroupsForApi(context, includeDeactivated) }, ignoredFor(context));
}
