// GET /users, /users/{user_id}, /users/{email}, /users/me.
import { accessibleUserIds, unknownUser } from '../access';
import { requireUser, type ApiContext } from '../context';
import { FEATURE } from '../features';
import { badRequest, success, type Reply } from '../reply';
import { canSeeEmail, type UserFormat } from '../serialize';
import type { UserRecord } from '../types';

/** client_gravatar defaults to true since feature level 92. */
function userFormat(context: ApiContext): UserFormat {
  return {
    clientGravatar: context.params.bool('client_gravatar', context.org.realm.featureLevel >= 92),
    includeProfileData: context.params.bool('include_custom_profile_fields', false),
  };
}

const USERS_PER_CHUNK = 500;

export function getUsers(context: ApiContext): Reply {
  const viewer = requireUser(context);
  const { org, params } = context;
  const format = userFormat(context);
  // user_ids exists from feature level 384; older servers ignore it like any unknown parameter.
  const userIds = org.realm.featureLevel >= 384 ? params.intList('user_ids') : undefined;
  const ignored = org.realm.featureLevel >= 167 ? params.ignored() : [];
  let members: UserRecord[] = userIds
    ? [...new Set(userIds)].map((id) => org.getUser(id)).filter((u): u is UserRecord => u !== undefined)
    : [...org.users.values()];
  // A restricted guest: placeholders for the others until feature level 437, then nothing.
  const accessible = accessibleUserIds(org, viewer);
  const placeholders = accessible && org.realm.featureLevel < FEATURE.NO_GUEST_PLACEHOLDERS_IN_GET_USERS;
  if (accessible && !placeholders) members = members.filter((member) => accessible.has(member.user_id));
  const tail = ignored.length ? `],"ignored_parameters_unsupported":${JSON.stringify(ignored)}}\n` : ']}\n';
  return {
    status: 200,
    headers: {},
    contentType: 'application/json',
    // Streamed in chunks: 100,000 members are tens of megabytes.
    body: function* () {
      yield '{"result":"success","msg":"","members":[';
      for (let start = 0; start < members.length; start += USERS_PER_CHUNK) {
        const parts: string[] = [];
        const end = Math.min(members.length, start + USERS_PER_CHUNK);
        for (let i = start; i < end; i++) {
          const member = members[i];
          if (placeholders && !accessible.has(member.user_id)) {
            const { profile_data: profileData, ...unknown } = unknownUser(org, member);
            parts.push(JSON.stringify(format.includeProfileData ? { ...unknown, is_active: true, profile_data: profileData } : { ...unknown, is_active: true }));
          } else {
            parts.push(org.views.json(viewer, member, format));
          }
        }
        yield (start ? ',' : '') + parts.join(',');
      }
      yield tail;
    },
  };
}

function oneUser(context: ApiContext, target: UserRecord | undefined): Reply {
  const viewer = requireUser(context);
  const format = userFormat(context);
  if (!target) throw badRequest('No such user');
  return success({ user: context.org.views.object(viewer, target, format) }, ignoredFor(context));
}

function ignoredFor(context: ApiContext): string[] {
  return context.org.realm.featureLevel >= 167 ? context.params.ignored() : [];
}

/** Cross-realm bots (Notification Bot...) are found by id too, as Zulip does. */
function byId(context: ApiContext, id: number): UserRecord | undefined {
  return context.org.getUser(id) ?? context.org.crossRealmBots.find((bot) => bot.user_id === id);
}

export function getUser(context: ApiContext): Reply {
  return oneUser(context, byId(context, Number(context.pathArgs[0])));
}

export function getUserByEmail(context: ApiContext): Reply {
  const viewer = requireUser(context);
  const { org } = context;
  const email = context.pathArgs[0];
  let target: UserRecord | undefined;
  if (org.realm.featureLevel >= 302) {
    // The placeholder user{id}@domain works for everyone; a real address only where its owner's
    // visibility setting lets the requester see it.
    target = org.userByPlaceholderEmail(email);
    if (!target) {
      const candidate = org.userByDeliveryEmail(email);
      if (candidate && canSeeEmail(viewer, candidate)) target = candidate;
    }
  } else {
    const wanted = email.trim().toLowerCase();
    target = [...org.users.values()].find((user) => org.apiEmail(user).toLowerCase() === wanted);
  }
  return oneUser(context, target);
}

export function getOwnUser(context: ApiContext): Reply {
  const viewer = requireUser(context);
  const user = context.org.views.object(viewer, viewer, { clientGravatar: false, includeProfileData: true });
  // zulip.yaml's GET /users/me schema has no bot fields (additionalProperties: false).
  delete user.bot_type;
  delete user.bot_owner_id;
  delete user.is_system_bot;
  // Bots have no profile data, but this endpoint always has the key.
  user.profile_data ??= {};
  return success({ ...user, max_message_id: -1 }, ignoredFor(context));
}
