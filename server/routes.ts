// The /api/v1 route table. Paths are relative to /api/v1; captures are URL-decoded.
import type { ApiContext } from './context';
import { deleteQueue, getEvents, register } from './handlers/events';
import { jwtFetchApiKey } from './handlers/jwt';
import {
  getRealmEmoji,
  getRealmPresence,
  createUserGroup,
  deactivateUserGroup,
  getIsUserGroupMember,
  getUserGroupMembers,
  getUserGroupSubgroups,
  updateUserGroup,
  updateUserGroupSubgroups,
  getUserGroups,
  getUserPresence,
  getUserStatus,
  updatePresence,
  updateStatus,
  updateUserGroupMembers,
} from './handlers/people';
import { getProfileFields, getServerSettings } from './handlers/realm';
import { FEATURE } from './features';
import { getOwnUser, getUser, getUserByEmail, getUsers } from './handlers/users';
import type { Reply } from './reply';

export interface Route {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  pattern: RegExp;
  /** The zulip.yaml operation (or the supplement's), for contract validation. */
  operationId: string;
  /** false: no Authorization needed (and no rate-limit headers). */
  auth: boolean;
  /** Routes newer than the server's feature level do not exist for it. */
  minFeatureLevel?: number;
  handler: (context: ApiContext) => Reply | Promise<Reply>;
}

export const ROUTES: Route[] = [
  { method: 'GET', operationId: 'get-server-settings', pattern: /^\/server_settings$/, auth: false, handler: getServerSettings },
  { method: 'POST', operationId: 'jwt-fetch-api-key', pattern: /^\/jwt\/fetch_api_key$/, auth: false, minFeatureLevel: 160, handler: jwtFetchApiKey },
  { method: 'GET', operationId: 'get-users', pattern: /^\/users$/, auth: true, handler: getUsers },
  { method: 'GET', operationId: 'get-own-user', pattern: /^\/users\/me$/, auth: true, handler: getOwnUser },
  { method: 'GET', operationId: 'get-user', pattern: /^\/users\/(\d+)$/, auth: true, handler: getUser },
  { method: 'GET', operationId: 'get-user-presence', pattern: /^\/users\/([^/]+)\/presence$/, auth: true, handler: getUserPresence },
  { method: 'POST', operationId: 'update-presence', pattern: /^\/users\/me\/presence$/, auth: true, handler: updatePresence },
  { method: 'POST', operationId: 'update-status', pattern: /^\/users\/me\/status$/, auth: true, handler: updateStatus },
  { method: 'GET', operationId: 'get-user-status', pattern: /^\/users\/(\d+)\/status$/, auth: true, minFeatureLevel: FEATURE.GET_USER_STATUS, handler: getUserStatus },
  { method: 'GET', operationId: 'get-user-by-email', pattern: /^\/users\/([^/]+)$/, auth: true, minFeatureLevel: 39, handler: getUserByEmail },
  { method: 'GET', operationId: 'get-custom-profile-fields', pattern: /^\/realm\/profile_fields$/, auth: true, handler: getProfileFields },
  { method: 'GET', operationId: 'get-presence', pattern: /^\/realm\/presence$/, auth: true, handler: getRealmPresence },
  { method: 'GET', operationId: 'get-custom-emoji', pattern: /^\/realm\/emoji$/, auth: true, handler: getRealmEmoji },
  { method: 'GET', operationId: 'get-user-groups', pattern: /^\/user_groups$/, auth: true, handler: getUserGroups },
  {
    method: 'GET',
    operationId: 'get-user-group-members',
    pattern: /^\/user_groups\/(\d+)\/members$/,
    auth: true,
    minFeatureLevel: FEATURE.GROUP_MEMBERS_ENDPOINT,
    handler: getUserGroupMembers,
  },
  { method: 'POST', operationId: 'update-user-group-members', pattern: /^\/user_groups\/(\d+)\/members$/, auth: true, handler: updateUserGroupMembers },
  {
    method: 'GET',
    operationId: 'get-is-user-group-member',
    pattern: /^\/user_groups\/(\d+)\/members\/(\d+)$/,
    auth: true,
    minFeatureLevel: FEATURE.GROUP_MEMBERS_ENDPOINT,
    handler: getIsUserGroupMember,
  },
  { method: 'POST', operationId: 'create-user-group', pattern: /^\/user_groups\/create$/, auth: true, handler: createUserGroup },
  { method: 'PATCH', operationId: 'update-user-group', pattern: /^\/user_groups\/(\d+)$/, auth: true, handler: updateUserGroup },
  {
    method: 'POST',
    operationId: 'deactivate-user-group',
    pattern: /^\/user_groups\/(\d+)\/deactivate$/,
    auth: true,
    minFeatureLevel: FEATURE.GROUP_DEACTIVATION,
    handler: deactivateUserGroup,
  },
  { method: 'POST', operationId: 'update-user-group-subgroups', pattern: /^\/user_groups\/(\d+)\/subgroups$/, auth: true, minFeatureLevel: FEATURE.GROUP_MEMBERS_ENDPOINT, handler: updateUserGroupSubgroups },
  { method: 'GET', operationId: 'get-user-group-subgroups', pattern: /^\/user_groups\/(\d+)\/subgroups$/, auth: true, minFeatureLevel: FEATURE.GROUP_MEMBERS_ENDPOINT, handler: getUserGroupSubgroups },
  { method: 'POST', operationId: 'register-queue', pattern: /^\/register$/, auth: true, handler: register },
  { method: 'GET', operationId: 'get-events', pattern: /^\/events$/, auth: true, handler: getEvents },
  { method: 'DELETE', operationId: 'delete-queue', pattern: /^\/events$/, auth: true, handler: deleteQueue },
];

export type RouteMatch =
  | { kind: 'found'; route: Route; args: string[] }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

export function matchRoute(method: string, apiPath: string, featureLevel: number): RouteMatch {
  const allowed: string[] = [];
  for (const route of ROUTES) {
    if (route.minFeatureLevel !== undefined && featureLevel < route.minFeatureLevel) continue;
    const match = route.pattern.exec(apiPath);
    if (!match) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    let args: string[];
    try {
      args = match.slice(1).map((part) => decodeURIComponent(part));
    } catch {
      return { kind: 'not-found' };
    }
    return { kind: 'found', route, args };
  }
  return allowed.length ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
}
