// The test-control API under /__control/: lets tests in other processes (an end-to-end test
// driving VS Code) change the organization, script faults and read what the server saw.
// Bodies are JSON; answers are {"ok": true, ...} or {"ok": false, "error": "..."}.
import type { EventHub } from './events';
import { checkFault, type FaultController } from './faults';
import { addHostileMembers, removeHostileMembers } from './hostile';
import type { GroupChange, NewGroup, NewUser, Org, UserChange } from './org';
import type { RateLimiter } from './rateLimit';
import type { CustomProfileField } from './types';

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The Basic auth user name, never the key. */
  authEmail?: string;
  status?: number;
  /** Set when a scripted fault answered instead of the server. */
  fault?: string;
  /** When it arrived (ms since 1970): shows a client's backoff between retries. */
  at?: number;
}

export interface JwtOptions {
  /** Seconds from now; negative makes an already expired token. */
  expiresIn?: number;
  /** Another HS256 key, to make a badly signed token. */
  key?: string;
}

export interface ControlTarget {
  url: string;
  org: Org;
  hub: EventHub;
  faults: FaultController;
  rateLimiter: RateLimiter;
  requests: RequestLogEntry[];
  contractViolations: string[];
  demo: { email: string; apiKey: string; jwt: string };
  signJwt(claims: Record<string, unknown>, options?: JwtOptions): Promise<string>;
  /** Goes away for `seconds` (after answering), as a restarting server does. */
  outage(seconds: number, dropQueues: boolean): void;
}

export interface ControlAnswer {
  status: number;
  body: Record<string, unknown>;
}

class ControlError extends Error {}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ControlError(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

function integer(value: unknown, what: string): number {
  if (!Number.isInteger(value)) throw new ControlError(`${what} must be an integer`);
  return value as number;
}

function intList(value: unknown, what: string): number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ControlError(`${what} must be a list of integers`);
  return value.map((item, index) => integer(item, `${what}[${index}]`));
}

function optionalString(value: unknown, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ControlError(`${what} must be a string`);
  return value;
}

function clockState(t: ControlTarget): Record<string, unknown> {
  return { now: t.org.clock.seconds(), offset_seconds: t.org.clock.offsetSeconds };
}

function userSummary(target: ControlTarget, userId: number): Record<string, unknown> {
  const user = target.org.getUser(userId);
  if (!user) throw new ControlError(`No such user ${userId}`);
  return { user_id: user.user_id, email: user.delivery_email, api_email: target.org.apiEmail(user), api_key: user.api_key };
}

type Handler = (target: ControlTarget, body: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>;

const GET: Record<string, Handler> = {
  state: (t) => ({
    url: t.url,
    demo: t.demo,
    feature_level: t.org.realm.featureLevel,
    members: t.org.size,
    queues: t.hub.size,
    realm: { ...t.org.realm },
    rate_limit: t.rateLimiter.options,
    clock: clockState(t),
  }),
  clock: (t) => clockState(t),
  requests: (t) => ({ requests: t.requests }),
  'contract-violations': (t) => ({ violations: t.contractViolations }),
  faults: (t) => ({ faults: t.faults.pending() }),
};

const POST: Record<string, Handler> = {
  faults: (t, body) => {
    const count = body.count === undefined ? 1 : integer(body.count, 'count');
    const path = optionalString(body.path, 'path');
    t.faults.push(checkFault(body.fault), { count, path });
    return { pending: t.faults.pending().length };
  },
  'clear-faults': (t) => {
    t.faults.clear();
    return {};
  },
  'reset-requests': (t) => {
    t.requests.length = 0;
    return {};
  },
  'reset-contract-violations': (t) => {
    t.contractViolations.length = 0;
    return {};
  },
  'add-user': (t, body) => {
    const user = t.org.addUser(body as unknown as NewUser);
    return userSummary(t, user.user_id);
  },
  'update-user': (t, body) => {
    const userId = integer(body.user_id, 'user_id');
    t.org.updateUser(userId, object(body.change, 'change') as UserChange);
    return userSummary(t, userId);
  },
  'remove-user': (t, body) => {
    t.org.removeUser(integer(body.user_id, 'user_id'));
    return {};
  },
  'set-profile-fields': (t, body) => {
    if (!Array.isArray(body.fields)) throw new ControlError('fields must be an array');
    t.org.setProfileFields(body.fields as CustomProfileField[]);
    return { fields: t.org.profileFieldsForApi() };
  },
  'set-presence': (t, body) => {
    const userId = integer(body.user_id, 'user_id');
    if (body.clear === true) {
      t.org.clearPresence(userId);
      return {};
    }
    if (body.idle_timestamp !== undefined) {
      const active = body.active_timestamp === null || body.active_timestamp === undefined ? null : integer(body.active_timestamp, 'active_timestamp');
      t.org.setPresenceTimestamps(userId, active, integer(body.idle_timestamp, 'idle_timestamp'));
      return {};
    }
    const status = body.status;
    if (status !== 'active' && status !== 'idle') throw new ControlError('status must be "active" or "idle" (or give idle_timestamp, or clear)');
    t.org.setPresence(userId, status, body.timestamp === undefined ? undefined : integer(body.timestamp, 'timestamp'));
    return {};
  },
  'report-presence': (t, body) => {
    const status = body.status;
    if (status !== 'active' && status !== 'idle') throw new ControlError('status must be "active" or "idle"');
    t.org.reportPresence(integer(body.user_id, 'user_id'), status);
    return {};
  },
  'set-presence-enabled': (t, body) => {
    if (typeof body.enabled !== 'boolean') throw new ControlError('enabled must be a boolean');
    t.org.setPresenceEnabled(integer(body.user_id, 'user_id'), body.enabled);
    return {};
  },
  clock: (t, body) => {
    if (body.reset === true) t.org.clock.reset();
    if (body.set !== undefined) t.org.clock.set(Number(body.set));
    if (body.advance_seconds !== undefined) t.org.clock.advance(Number(body.advance_seconds));
    return clockState(t);
  },
  'set-status': (t, body) => {
    const userId = integer(body.user_id, 'user_id');
    const status = {
      status_text: optionalString(body.status_text, 'status_text'),
      emoji_name: optionalString(body.emoji_name, 'emoji_name'),
      emoji_code: optionalString(body.emoji_code, 'emoji_code'),
      reaction_type: optionalString(body.reaction_type, 'reaction_type'),
    };
    if (body.force === true) {
      t.org.forceStatus(userId, status as Parameters<Org['forceStatus']>[1]);
    } else {
      if (body.away !== undefined && typeof body.away !== 'boolean') throw new ControlError('away must be a boolean');
      t.org.updateStatus(userId, { ...status, away: body.away });
    }
    return { status: t.org.statuses.get(userId) ?? null };
  },
  'add-emoji': (t, body) => {
    const name = optionalString(body.name, 'name');
    if (name === undefined) throw new ControlError('name is required');
    const emoji = t.org.addRealmEmoji(name, body.author_id === undefined ? null : integer(body.author_id, 'author_id'));
    return { emoji };
  },
  'deactivate-emoji': (t, body) => {
    const name = optionalString(body.name, 'name');
    if (name === undefined) throw new ControlError('name is required');
    t.org.deactivateRealmEmoji(name);
    return {};
  },
  'create-group': (t, body) => {
    const group = t.org.createGroup({
      ...(body as unknown as NewGroup),
      members: intList(body.members, 'members'),
      subgroups: intList(body.subgroups, 'subgroups'),
    });
    return { group_id: group.id };
  },
  'update-group': (t, body) => {
    const { group_id: groupId, ...change } = body;
    const groupChange: GroupChange = change;
    t.org.updateGroup(integer(groupId, 'group_id'), groupChange);
    return {};
  },
  'group-members': (t, body) => {
    const groupId = integer(body.group_id, 'group_id');
    const add = intList(body.add, 'add');
    const remove = intList(body.remove, 'remove');
    const addSubgroups = intList(body.add_subgroups, 'add_subgroups');
    const removeSubgroups = intList(body.remove_subgroups, 'remove_subgroups');
    if (add.length) t.org.addGroupMembers(groupId, add);
    if (remove.length) t.org.removeGroupMembers(groupId, remove);
    if (addSubgroups.length) t.org.addSubgroups(groupId, addSubgroups);
    if (removeSubgroups.length) t.org.removeSubgroups(groupId, removeSubgroups);
    return {};
  },
  'remove-group': (t, body) => {
    t.org.removeGroup(integer(body.group_id, 'group_id'));
    return {};
  },
  'expire-queues': (t) => ({ expired: t.hub.expireAll() }),
  outage: (t, body) => {
    const seconds = Number(body.seconds);
    if (!(seconds > 0 && seconds <= 600)) throw new ControlError('seconds must be between 0 and 600');
    t.outage(seconds, body.drop_queues === true);
    return { seconds };
  },
  hostile: (t, body) => {
    if (body.remove === true) {
      removeHostileMembers(t.org);
      return {};
    }
    const added = addHostileMembers(t.org);
    return { members: added.members.map((m) => ({ user_id: m.userId, input: m.input.id })), group_id: added.groupId };
  },
  settings: (t, body) => {
    const realm = t.org.realm;
    if (body.feature_level !== undefined) {
      realm.featureLevel = integer(body.feature_level, 'feature_level');
      // User objects carry level-dependent fields (is_imported_stub, is_deleted).
      t.org.views.invalidateAll();
    }
    if (body.guests_restricted !== undefined) realm.guestsRestricted = Boolean(body.guests_restricted);
    if (body.jwt_enabled !== undefined) realm.jwtEnabled = Boolean(body.jwt_enabled);
    if (body.realm_deactivated !== undefined) realm.deactivated = Boolean(body.realm_deactivated);
    if (body.realm_name !== undefined) realm.name = optionalString(body.realm_name, 'realm_name') ?? realm.name;
    if (body.default_code_block_language !== undefined) {
      t.org.setDefaultCodeBlockLanguage(optionalString(body.default_code_block_language, 'default_code_block_language') ?? '');
    }
    if (body.rate_limit !== undefined) {
      if (body.rate_limit === false) {
        t.rateLimiter.options = false;
      } else {
        const limit = object(body.rate_limit, 'rate_limit');
        t.rateLimiter.options = { limit: integer(limit.limit, 'rate_limit.limit'), windowSeconds: Number(limit.window_seconds ?? 60) };
      }
      t.rateLimiter.reset();
    }
    return { feature_level: realm.featureLevel, guests_restricted: realm.guestsRestricted, jwt_enabled: realm.jwtEnabled, realm_deactivated: realm.deactivated, realm_name: realm.name, default_code_block_language: realm.defaultCodeBlockLanguage, rate_limit: t.rateLimiter.options };
  },
  credentials: async (t, body) => {
    const summary = userSummary(t, integer(body.user_id, 'user_id'));
    return { ...summary, jwt: await t.signJwt({ email: summary.email }) };
  },
  jwt: async (t, body) => {
    const claims = object(body.claims ?? {}, 'claims');
    const expiresIn = body.expires_in === undefined ? undefined : Number(body.expires_in);
    const key = optionalString(body.key, 'key');
    return { token: await t.signJwt(claims, { expiresIn, key }) };
  },
};

export async function handleControl(target: ControlTarget, method: string, name: string, rawBody: string): Promise<ControlAnswer> {
  const handler = method === 'GET' ? GET[name] : method === 'POST' ? POST[name] : undefined;
  if (!handler) return { status: 404, body: { ok: false, error: `No control endpoint ${method} /__control/${name}` } };
  try {
    const body = rawBody.trim() ? object(JSON.parse(rawBody), 'body') : {};
    return { status: 200, body: { ok: true, ...(await handler(target, body)) } };
  } catch (error) {
    return { status: 400, body: { ok: false, error: error instanceof Error ? error.message : String(error) } };
  }
}
