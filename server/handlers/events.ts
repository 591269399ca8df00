// POST /register, GET /events, DELETE /events.
import { requireUser, type ApiContext } from '../context';
import type { EventQueue } from '../events';
import { missing } from '../params';
import { ApiError, badRequest, success, type Reply } from '../reply';
import { realmEmojiForApi } from '../emoji';
import { FEATURE } from '../features';
import { groupsForApi } from '../groups';
import type { ClientCapabilities } from '../org';
import { avatarUrl } from '../serialize';
import { accessibleUserIds, unknownUser } from '../access';
import { presenceForApi, userStatusForApi } from './people';

/**
 * What this server can fetch initial state for (fetch_event_types) and the event types it
 * produces; user groups are fetched as realm_user_groups and change by user_group events.
 */
export const SUPPORTED_EVENT_TYPES = ['realm_user', 'custom_profile_fields', 'presence', 'realm_user_groups', 'user_group', 'user_status', 'realm_emoji'];

/** client_capabilities, each honoured from the feature level that introduced it. */
export function capabilitiesOf(value: unknown, featureLevel: number): ClientCapabilities {
  if (value === undefined) value = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('client_capabilities is not a dict');
  const flags = value as Record<string, unknown>;
  return {
    simplifiedPresenceEvents: flags.simplified_presence_events === true && featureLevel >= FEATURE.SIMPLIFIED_PRESENCE_EVENTS,
    includeDeactivatedGroups: flags.include_deactivated_groups === true && featureLevel >= FEATURE.INCLUDE_DEACTIVATED_GROUPS,
    userListIncomplete: flags.user_list_incomplete === true && featureLevel >= FEATURE.USER_LIST_INCOMPLETE,
  };
}

const CUSTOM_PROFILE_FIELD_TYPES = {
  SHORT_TEXT: { id: 1, name: 'Short text' },
  LONG_TEXT: { id: 2, name: 'Long text' },
  SELECT: { id: 3, name: 'List of options' },
  DATE: { id: 4, name: 'Date picker' },
  URL: { id: 5, name: 'Link' },
  USER: { id: 6, name: 'Person picker' },
  EXTERNAL_ACCOUNT: { id: 7, name: 'External account' },
  PRONOUNS: { id: 8, name: 'Pronouns' },
};

function badQueue(queueId: string): ApiError {
  return new ApiError(400, 'BAD_EVENT_QUEUE_ID', `Bad event queue ID: ${queueId}`, { queue_id: queueId });
}

export function register(context: ApiContext): Reply {
  const user = requireUser(context);
  const { org, params } = context;
  const eventTypes = params.stringList('event_types');
  const fetchEventTypes = params.stringList('fetch_event_types') ?? eventTypes ?? SUPPORTED_EVENT_TYPES;
  const clientGravatar = params.bool('client_gravatar', org.realm.featureLevel >= 92);
  const slimPresence = params.bool('slim_presence', false);
  // Accepted as Zulip accepts them; they change nothing this server sends.
  params.bool('apply_markdown', false);
  params.bool('all_public_streams', false);
  params.accept('include_subscribers', 'narrow');
  const level = org.realm.featureLevel;
  const capabilities = capabilitiesOf(params.json('client_capabilities'), level);
  const historyDays = level >= FEATURE.PRESENCE_HISTORY_LIMIT ? params.int('presence_history_limit_days') : undefined;

  const queue = context.hub.register({ userId: user.user_id, eventTypes: eventTypes ? new Set(eventTypes) : null, clientGravatar, capabilities });
  const data: Record<string, unknown> = {
    queue_id: queue.id,
    last_event_id: -1,
    zulip_feature_level: org.realm.featureLevel,
    zulip_version: org.realm.zulipVersion,
    zulip_merge_base: org.realm.zulipVersion,
    // An integer in zulip.yaml; tests may configure fractions of a second.
    event_queue_longpoll_timeout_seconds: Math.ceil(context.longPollTimeoutSeconds),
  };
  const fetch = new Set(fetchEventTypes);
  if (fetch.has('realm_user')) {
    const format = { clientGravatar, includeProfileData: true, omitIsActive: true };
    const active: unknown[] = [];
    const inactive: unknown[] = [];
    // A restricted guest sees "Unknown user" placeholders for the rest, unless the client can do without them.
    const accessible = accessibleUserIds(org, user);
    for (const member of org.users.values()) {
      if (accessible && !accessible.has(member.user_id)) {
        if (!capabilities.userListIncomplete && member.is_active) active.push(unknownUser(org, member));
        continue;
      }
      (member.is_active ? active : inactive).push(org.views.object(user, member, format));
    }
    data.realm_users = active;
    data.realm_non_active_users = inactive;
    data.cross_realm_bots = org.crossRealmBots.map((bot) => org.views.object(user, bot, { clientGravatar: false, includeProfileData: false, markSystemBots: true }));
    data.avatar_source = user.avatar_source;
    data.avatar_url = avatarUrl(user, org.realm, false);
    data.avatar_url_medium = avatarUrl(user, org.realm, true);
    data.is_admin = user.role <= 200;
    data.is_owner = user.role === 100;
    data.is_moderator = user.role === 300;
    data.is_guest = user.role === 600;
    data.user_id = user.user_id;
    data.email = org.apiEmail(user);
    data.delivery_email = user.delivery_email;
    data.full_name = user.full_name;
  }
  if (fetch.has('realm')) {
    // A few of the realm_* settings Zulip sends for `realm`: the ones this server models.
    data.realm_name = org.realm.name;
    data.realm_default_code_block_language = org.realm.defaultCodeBlockLanguage;
  }
  if (fetch.has('custom_profile_fields')) {
    data.custom_profile_fields = org.profileFieldsForApi();
    data.custom_profile_field_types = CUSTOM_PROFILE_FIELD_TYPES;
  }
  if (fetch.has('presence')) {
    const presence = presenceForApi(org, { slim: slimPresence, historyDays });
    data.presences = presence.presences;
    data.server_timestamp = org.clock.seconds();
    if (level >= FEATURE.PRESENCE_LAST_UPDATE_ID) data.presence_last_update_id = presence.lastUpdateId;
  }
  if (fetch.has('realm_user_groups')) {
    // From 290 to 293 every client got deactivated groups; from 294 only those that can handle them.
    const includeDeactivated = level >= FEATURE.INCLUDE_DEACTIVATED_GROUPS ? capabilities.includeDeactivatedGroups : level >= FEATURE.GROUP_DEACTIVATION;
    data.realm_user_groups = groupsForApi(org, includeDeactivated);
  }
  if (fetch.has('user_status')) data.user_status = userStatusForApi(org, user);
  if (fetch.has('realm_emoji')) data.realm_emoji = realmEmojiForApi(org.realmEmoji, org.realm);
  const ignored = org.realm.featureLevel >= 167 ? params.ignored() : [];
  return success(data, ignored);
}

function ownedQueue(context: ApiContext, queueId: string): EventQueue {
  const queue = context.hub.get(queueId);
  if (!queue) throw badQueue(queueId);
  if (queue.options.userId !== requireUser(context).user_id) {
    throw badRequest('You are not authorized to get events from this queue');
  }
  return queue;
}

export async function getEvents(context: ApiContext): Promise<Reply> {
  const { params } = context;
  const queueId = params.string('queue_id');
  if (queueId === undefined) throw missing('queue_id');
  const lastEventId = params.int('last_event_id');
  const dontBlock = params.bool('dont_block', false);
  const queue = ownedQueue(context, queueId);
  const result = await context.hub.poll(queue, lastEventId, dontBlock, context.signal);
  if (result.kind === 'gone') throw badQueue(queueId);
  const ignored = context.org.realm.featureLevel >= 167 ? params.ignored() : [];
  return success({ events: result.events, queue_id: queueId }, ignored);
}

export function deleteQueue(context: ApiContext): Reply {
  const queueId = context.params.requiredString('queue_id');
  ownedQueue(context, queueId);
  context.hub.delete(queueId);
  const ignored = context.org.realm.featureLevel >= 167 ? context.params.ignored() : [];
  return success({}, ignored);
}
