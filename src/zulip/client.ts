// The HTTP client for Zulip's REST API. Plain Node (no vscode import): the model layer and the
// tests use it directly.
import * as l10n from '@vscode/l10n';
import fetch, { type RequestInit, type Response } from 'node-fetch';
import type { Agent } from 'node:http';
import type { Readable } from 'node:stream';
import { ZulipError } from './errors';
import { JsonArraySlicer, JsonSliceError } from './jsonArraySlicer';
import { jwtErrorMessage } from './jwtErrors';
import type { Slicer } from './slices';
import {
  Role,
  type CustomProfileField,
  type JwtApiKey,
  type OwnUser,
  type RealmEmoji,
  type RealmPresence,
  type RegisterResponse,
  type ServerSettings,
  type User,
  type UserGroup,
  type ZulipEvent,
} from './types';

export interface ZulipCredentials {
  /** Normalized organization URL (see normalizeSite). */
  site: string;
  /** The account's real email, used as the Basic auth user name. */
  email: string;
  apiKey: string;
}

export interface ZulipClientOptions {
  site: string;
  email?: string;
  apiKey?: string;
  /** Per-request timeout. Long-polls add the server's long-poll timeout to it. */
  timeoutMs?: number;
  userAgent?: string;
  /** How many times a 429 is retried after waiting Retry-After (default 5). */
  maxRateLimitRetries?: number;
  /** Longest time one request may spend waiting out 429s, in seconds (default 60); a wait past it fails at once. */
  maxRetryAfterSeconds?: number;
  /** For self-hosted servers with their own CA (https.Agent with `ca`). */
  agent?: Agent;
  /** Cancels every request of this client (sign-out, window closing). */
  signal?: AbortSignal;
  /**
   * The HTTP proxy requests go through now (VS Code routes them: its http.proxy settings), asked
   * at each request: to name it when a request fails, and for plain-http sites the
   * Proxy-Authorization to send it (VS Code's routing does not add http.proxyAuthorization to an
   * extension's requests; for https it asks the person when the proxy wants credentials).
   */
  proxy?: () => { url: string; authorization?: string } | undefined;
  /** Told about waits and retries; never given credentials. */
  onRetry?: (info: { url: string; attempt: number; waitSeconds: number }) => void;
}

/** What the layers above pass to get a client; the settings (timeout, CA, User-Agent) are added by whoever builds it. */
export type ClientRequest = Pick<ZulipClientOptions, 'site' | 'email' | 'apiKey' | 'signal'>;
export type CreateClient = (options: ClientRequest) => ZulipClient;

type ParamValue = string | number | boolean | readonly unknown[] | Record<string, unknown> | undefined;
type Params = Record<string, ParamValue>;

interface RequestSpec {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  path: string;
  params?: Params;
  auth?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The Accept header; JSON unless said. */
  accept?: string;
  /** Read the answer in slices (its `members` array cut into elements), yielding to the event loop. */
  slicer?: Slicer;
  /** With a slicer: the array to cut (default `members`), and top-level arrays to leave out unread. */
  sliced?: SlicedArray;
}

interface SlicedArray {
  key: string;
  discard?: readonly string[];
}

export interface Image {
  /** The media type, lower-case, without parameters ("image/png"). */
  contentType: string;
  body: Buffer;
}

export interface RegisterOptions {
  eventTypes: string[];
  fetchEventTypes?: string[];
  /** Presence keyed by user id in the modern form. */
  slimPresence?: boolean;
  clientCapabilities?: Record<string, boolean>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RATE_LIMIT_RETRIES = 5;
const DEFAULT_MAX_RETRY_AFTER_SECONDS = 60;
const MAX_SAME_ORIGIN_REDIRECTS = 3;
const MS_PER_SECOND = 1000;

/** Zulip's parameter encoding: strings as they are, booleans, numbers, arrays and objects as JSON. */
export function encodeParams(params: Params): URLSearchParams {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    search.append(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return search;
}

/** POST /register's parameters for `options`: avatars by Gravatar hash left to the client, no subscribers. */
function registerParams(options: RegisterOptions): Params {
  const params: Params = {
    event_types: options.eventTypes,
    fetch_event_types: options.fetchEventTypes ?? [],
    client_gravatar: true,
    include_subscribers: false,
  };
  if (options.slimPresence) params.slim_presence = true;
  if (options.clientCapabilities && Object.keys(options.clientCapabilities).length) params.client_capabilities = options.clientCapabilities;
  return params;
}

export class ZulipClient {
  readonly site: string;
  readonly email?: string;
  private readonly apiKey?: string;
  private readonly options: ZulipClientOptions;
  private serverSettings?: Promise<ServerSettings>;

  constructor(options: ZulipClientOptions) {
    this.options = options;
    this.site = options.site;
    this.email = options.email;
    this.apiKey = options.apiKey;
  }

  // ---- Endpoints ----

  /** Needs no credentials: tells whether the site is a Zulip server, and which version. */
  async getServerSettings(): Promise<ServerSettings> {
    const body = await this.request<ServerSettings>({ method: 'GET', path: '/server_settings', auth: false });
    return { ...body, zulip_feature_level: body.zulip_feature_level ?? 0, zulip_version: body.zulip_version ?? '' };
  }

  /** The server settings, fetched once per client. */
  featureLevel(): Promise<number> {
    this.serverSettings ??= this.getServerSettings();
    this.serverSettings.catch(() => (this.serverSettings = undefined));
    return this.serverSettings.then((s) => s.zulip_feature_level);
  }

  /**
   * GET /users. `userIds` is sent only to servers that understand it (feature level 384);
   * older ones return everyone and the list is filtered here. With a `slicer`, the answer is
   * parsed member by member as it arrives, never blocking the thread for longer than a slice,
   * and its signal cancels the request.
   */
  async getUsers(
    options: { clientGravatar?: boolean; includeCustomProfileFields?: boolean; userIds?: readonly number[]; slicer?: Slicer } = {},
  ): Promise<User[]> {
    const { clientGravatar = true, includeCustomProfileFields = false, userIds, slicer } = options;
    const sendIds = userIds !== undefined && (await this.featureLevel()) >= 384;
    const body = await this.request<{ members: User[] }>({
      method: 'GET',
      path: '/users',
      params: {
        client_gravatar: clientGravatar,
        include_custom_profile_fields: includeCustomProfileFields,
        user_ids: sendIds ? userIds : undefined,
      },
      slicer,
      signal: slicer?.signal,
    });
    const members = slicer ? await usersFromResponseInSlices(body, slicer) : usersFromResponse(body);
    if (userIds === undefined || sendIds) return members;
    const wanted = new Set(userIds);
    return members.filter((m) => wanted.has(m.user_id));
  }

  async getUser(userId: number, options: { clientGravatar?: boolean; includeCustomProfileFields?: boolean } = {}): Promise<User> {
    if (!Number.isSafeInteger(userId) || userId < 0) throw new RangeError(`Not a user id: ${userId}`);
    const body = await this.request<{ user: User }>({ method: 'GET', path: `/users/${userId}`, params: userParams(options) });
    return withUserDefaults(body.user);
  }

  /** By real email (visible ones only, feature level 302) or the `user{id}@host` API email. */
  async getUserByEmail(email: string, options: { clientGravatar?: boolean; includeCustomProfileFields?: boolean } = {}): Promise<User> {
    const body = await this.request<{ user: User }>({
      method: 'GET',
      path: `/users/${encodeURIComponent(email)}`,
      params: userParams(options),
    });
    return withUserDefaults(body.user);
  }

  async getOwnUser(): Promise<OwnUser> {
    const body = await this.request<OwnUser & { result?: string; msg?: string }>({ method: 'GET', path: '/users/me' });
    // The answer's own fields are no part of the user.
    delete body.result;
    delete body.msg;
    return withUserDefaults(body);
  }

  /** The organization's custom profile fields, in display order. */
  async getProfileFields(): Promise<CustomProfileField[]> {
    const body = await this.request<{ custom_fields: CustomProfileField[] }>({ method: 'GET', path: '/realm/profile_fields' });
    return [...(body.custom_fields ?? [])].sort((a, b) => a.order - b.order);
  }

  async getRealmPresence(): Promise<RealmPresence> {
    const body = await this.request<RealmPresence>({ method: 'GET', path: '/realm/presence' });
    return { server_timestamp: body.server_timestamp ?? Date.now() / 1000, presences: body.presences ?? {} };
  }

  /**
   * GET /users/{id_or_email}/presence: one member's presence in whichever shape the server has
   * (per-client with `aggregated` before FL 487, `active_timestamp`/`idle_timestamp` from 487,
   * both from 497 with `server_timestamp`); the caller parses it tolerantly.
   */
  async getUserPresence(userIdOrEmail: number | string): Promise<{ presence: unknown; server_timestamp?: number }> {
    const body = await this.request<{ presence?: unknown; server_timestamp?: unknown }>({ method: 'GET', path: `/users/${encodeURIComponent(String(userIdOrEmail))}/presence` });
    return { presence: body.presence, server_timestamp: typeof body.server_timestamp === 'number' ? body.server_timestamp : undefined };
  }

  async getUserGroups(): Promise<UserGroup[]> {
    const body = await this.request<{ user_groups: UserGroup[] }>({ method: 'GET', path: '/user_groups' });
    return body.user_groups ?? [];
  }

  /**
   * POST /jwt/fetch_api_key (feature level 160). Sends no credentials: the token is the proof.
   * Each refusal becomes a ZulipError of kind 'jwt' whose message says why in plain words.
   */
  async fetchApiKeyFromJwt(token: string, includeProfile = true): Promise<JwtApiKey> {
    try {
      const body = await this.request<JwtApiKey>({
        method: 'POST',
        path: '/jwt/fetch_api_key',
        params: { token, include_profile: includeProfile },
        auth: false,
      });
      return { api_key: body.api_key, email: body.email, user: body.user ? withUserDefaults(body.user) : undefined };
    } catch (error) {
      if (error instanceof ZulipError && (error.kind === 'api' || error.kind === 'unauthorized')) {
        throw new ZulipError(jwtErrorMessage(this.site, error.status, error.code, error.serverMsg), {
          kind: 'jwt',
          url: error.url,
          status: error.status,
          code: error.code,
          serverMsg: error.serverMsg,
        });
      }
      throw error;
    }
  }

  async registerQueue(options: RegisterOptions): Promise<RegisterResponse> {
    return this.request<RegisterResponse>({ method: 'POST', path: '/register', params: registerParams(options) });
  }

  /**
   * The server's own bots (Notification Bot, Welcome Bot, …), which Zulip's mention lookup finds in
   * every organization. /register sends them only with the whole member list (`realm_user`), so
   * that list is scanned past unread, in slices, and the queue made for it deleted at once.
   */
  async getCrossRealmBots(slicer: Slicer): Promise<User[]> {
    const body = await this.request<RegisterResponse>({
      method: 'POST',
      path: '/register',
      params: registerParams({ eventTypes: ['realm_user'], fetchEventTypes: ['realm_user'], clientCapabilities: { user_list_incomplete: true } }),
      slicer,
      signal: slicer.signal,
      sliced: { key: 'cross_realm_bots', discard: ['realm_users', 'realm_non_active_users'] },
    });
    if (typeof body.queue_id === 'string') await this.deleteQueue(body.queue_id).catch(() => undefined);
    return Array.isArray(body.cross_realm_bots) ? body.cross_realm_bots.map(withUserDefaults) : [];
  }

  /** POST /users/me/status; empty strings clear the text or the emoji. */
  async setOwnStatus(status: { status_text?: string; emoji_name?: string; emoji_code?: string; reaction_type?: string }): Promise<void> {
    const params: Params = {};
    for (const [name, value] of Object.entries(status)) if (value !== undefined) params[name] = value;
    await this.request({ method: 'POST', path: '/users/me/status', params });
  }

  /**
   * POST /users/me/presence: reports the signed-in user as active (or idle). Only called when the
   * user chose to share their presence.
   */
  async reportPresence(status: 'active' | 'idle'): Promise<void> {
    await this.request({ method: 'POST', path: '/users/me/presence', params: { status, ping_only: true, slim_presence: true } });
  }

  /** GET /realm/emoji: the organization's custom emoji by id, deactivated ones included. */
  async getRealmEmoji(): Promise<Record<string, RealmEmoji>> {
    const body = await this.request<{ emoji?: Record<string, RealmEmoji> }>({ method: 'GET', path: '/realm/emoji' });
    return body.emoji ?? {};
  }

  /** Long-polls for events; the server answers at the latest after `longPollSeconds` with a heartbeat. */
  async getEvents(queueId: string, lastEventId: number, options: { longPollSeconds?: number; signal?: AbortSignal } = {}): Promise<ZulipEvent[]> {
    const longPoll = (options.longPollSeconds ?? 90) * 1000;
    const body = await this.request<{ events: ZulipEvent[] }>({
      method: 'GET',
      path: '/events',
      params: { queue_id: queueId, last_event_id: lastEventId },
      timeoutMs: longPoll + (this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      signal: options.signal,
    });
    return body.events ?? [];
  }

  async deleteQueue(queueId: string): Promise<void> {
    await this.request({ method: 'DELETE', path: '/events', params: { queue_id: queueId } });
  }

  // ---- Transport ----

  private apiUrl(path: string): string {
    return `${this.site}/api/v1${path}`;
  }

  private async request<T>(spec: RequestSpec): Promise<T> {
    const url = this.apiUrl(spec.path);
    // Zulip limits each user to 200 requests a minute over a sliding window: requests sent together
    // (a sign-in's) can meet the limit one after another as slots free up, so a few retries, within
    // a minute in all.
    const maxRetries = this.options.maxRateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES;
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      const response = await this.send(spec, url);
      try {
        return await parseResponse<T>(response, url, this.site, spec.slicer, spec.sliced);
      } catch (error) {
        if (!(error instanceof ZulipError) || error.kind !== 'rateLimited' || attempt >= maxRetries) throw error;
        const wait = error.retryAfter ?? 1;
        if (waited + wait > (this.options.maxRetryAfterSeconds ?? DEFAULT_MAX_RETRY_AFTER_SECONDS)) throw error;
        waited += wait;
        this.options.onRetry?.({ url, attempt: attempt + 1, waitSeconds: wait });
        await sleep(wait * 1000, this.combinedSignal(spec.signal));
      }
    }
  }

  /** A network failure while a proxy is in between names the proxy: it may be the one that failed. */
  private throughProxy(error: ZulipError, proxy = this.options.proxy?.()?.url): ZulipError {
    if (!proxy || error.kind === 'cancelled' || error.kind === 'tls') return error;
    const detail = error.code ?? (error.cause instanceof Error ? error.cause.message : 'network error');
    const message = error.url
      ? l10n.t('{0} could not be reached through the proxy {1} ({2}). Check that the proxy is running, and the http.proxy setting.', new URL(error.url).host, proxy, detail)
      : l10n.t('The organization could not be reached through the proxy {0} ({1}). Check that the proxy is running, and the http.proxy setting.', proxy, detail);
    return new ZulipError(message, {
      kind: error.kind,
      url: error.url,
      code: error.code,
      cause: error,
    });
  }

  /**
   * An image (an avatar, the organization's icon, a custom emoji) by its full URL, the way API
   * calls go: the User-Agent, the timeout, the CA bundle, the proxy, redirects within the same
   * origin only; never with credentials. Throws when it is no image or larger than `maxBytes`.
   */
  async getImage(url: string, options: { maxBytes: number; signal?: AbortSignal }): Promise<Image> {
    const response = await this.send({ method: 'GET', path: url, auth: false, accept: 'image/*', signal: options.signal }, url);
    if (!response.ok) {
      response.body?.resume?.();
      throw new ZulipError(`${url} answered HTTP ${response.status}`, { kind: response.status >= 500 ? 'api' : 'notZulip', url, status: response.status });
    }
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    const tooLarge = () => new ZulipError(`${url} is larger than ${options.maxBytes} bytes`, { kind: 'notZulip', url });
    if (!contentType.startsWith('image/')) {
      response.body?.resume?.();
      throw new ZulipError(`${url} is not an image (${contentType || 'no content type'})`, { kind: 'notZulip', url });
    }
    if (Number(response.headers.get('content-length') ?? 0) > options.maxBytes) {
      response.body?.resume?.();
      throw tooLarge();
    }
    let body: Buffer;
    try {
      body = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw this.throughProxy(transportError(error, url, false, 0));
    }
    if (body.length > options.maxBytes) throw tooLarge();
    return { contentType, body };
  }

  private combinedSignal(extra?: AbortSignal): AbortSignal | undefined {
    const signals = [this.options.signal, extra].filter((s): s is AbortSignal => s !== undefined);
    if (signals.length === 0) return undefined;
    return signals.length === 1 ? signals[0] : AbortSignal.any(signals);
  }

  /** Sends one request, following only same-origin redirects so credentials never leave the site. */
  private async send(spec: RequestSpec, url: string): Promise<Response> {
    const headers: Record<string, string> = {
      'User-Agent': this.options.userAgent ?? 'ZulipForVSCode',
      Accept: spec.accept ?? 'application/json',
      'Accept-Encoding': 'gzip, deflate',
    };
    const proxy = this.options.proxy?.();
    // Only where the proxy reads the request itself: inside an https tunnel it would reach the site.
    if (proxy?.authorization && url.startsWith('http:')) headers['Proxy-Authorization'] = proxy.authorization;
    if (spec.auth !== false) {
      if (!this.email || !this.apiKey) throw new Error('This request needs an email and an API key.');
      headers.Authorization = 'Basic ' + Buffer.from(`${this.email}:${this.apiKey}`).toString('base64');
    }
    const params = spec.params ? encodeParams(spec.params) : undefined;
    let target = url;
    let body: string | undefined;
    if (spec.method === 'GET' || spec.method === 'DELETE') {
      if (params && [...params.keys()].length) target += '?' + params.toString();
    } else {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = params?.toString() ?? '';
    }

    const timeoutMs = spec.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const origin = new URL(url).origin;
    for (let hop = 0; ; hop++) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const cancel = this.combinedSignal(spec.signal);
      const signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout;
      const init: RequestInit = { method: spec.method, headers, body, redirect: 'manual', signal, agent: this.options.agent, compress: true };
      let response: Response;
      try {
        response = await fetch(target, init);
      } catch (error) {
        throw this.throughProxy(transportError(error, url, timeout.aborted, timeoutMs), proxy?.url);
      }
      if (response.status === 407) {
        response.body?.resume?.();
        throw new ZulipError(
          proxy?.url
            ? l10n.t('The proxy {0} asks for credentials (HTTP 407). Set http.proxyAuthorization, or check http.proxy.', proxy.url)
            : l10n.t('The proxy between here and {0} asks for credentials (HTTP 407). Set http.proxyAuthorization, or check http.proxy.', new URL(url).host),
          { kind: 'proxy', url, status: 407 },
        );
      }
      if (response.status < 300 || response.status >= 400 || response.status === 304) return response;
      // A redirect: follow it only within the same origin, where the credentials belong.
      const location = response.headers.get('location');
      response.body?.resume?.();
      const next = location ? new URL(location, target) : undefined;
      if (!next || next.origin !== origin || hop >= MAX_SAME_ORIGIN_REDIRECTS) {
        const where = next ? next.origin + next.pathname : 'nowhere';
        throw new ZulipError(
          next && next.origin !== origin
            ? l10n.t('{0} redirected to {1}, another site. Zulip for VS Code does not send credentials to another site; if the organization moved, sign in again with its new URL.', url, where)
            : l10n.t('{0} redirected too many times (last to {1}). Check the organization URL.', url, where),
          { kind: 'redirect', url, status: response.status, location: next?.href },
        );
      }
      target = next.href;
    }
  }
}

function userParams(options: { clientGravatar?: boolean; includeCustomProfileFields?: boolean }): Params {
  return {
    client_gravatar: options.clientGravatar ?? true,
    include_custom_profile_fields: options.includeCustomProfileFields ?? false,
  };
}

/** Fills what older servers leave out, with the defaults the API docs give. Returns a copy. */
export function withUserDefaults<T extends Partial<User>>(user: T): T & User {
  return fillUserDefaults({ ...user });
}

/**
 * The members of a GET /users answer, with defaults filled in. The objects come straight from
 * JSON.parse and belong to nobody else, so they are completed in place: copying 100,000 of them
 * took twice as long as parsing them (see BENCHMARKS.md).
 */
export function usersFromResponse(body: { members?: Partial<User>[] }): User[] {
  const members = body.members ?? [];
  for (const member of members) fillUserDefaults(member);
  return members as User[];
}

/** An answer up to this size is parsed in one go (about 5 ms): slicing it would only cost time. */
const SMALL_ANSWER_BYTES = 512 * 1024;

/** Members checked between two looks at the clock. */
const ITEMS_PER_CHECK = 512;

/** usersFromResponse, yielding to the event loop between slices. */
export async function usersFromResponseInSlices(body: { members?: Partial<User>[] }, slicer: Slicer): Promise<User[]> {
  const members = body.members ?? [];
  for (let i = 0; i < members.length; i++) {
    fillUserDefaults(members[i]);
    if (i % ITEMS_PER_CHECK === 0) await slicer.pause();
  }
  return members as User[];
}

/** withUserDefaults in place: writes only what is missing (usually nothing). */
function fillUserDefaults<T extends Partial<User>>(user: T): T & User {
  const u: Partial<User> = user;
  const role = (u.role ??= u.is_owner ? Role.Owner : u.is_admin ? Role.Administrator : u.is_guest ? Role.Guest : Role.Member);
  u.delivery_email ??= null;
  u.email ??= '';
  u.full_name ??= '';
  u.date_joined ??= '';
  u.is_active ??= true;
  u.is_owner ??= role === Role.Owner;
  u.is_admin ??= role === Role.Owner || role === Role.Administrator;
  u.is_guest ??= role === Role.Guest;
  u.is_bot ??= false;
  u.bot_type ??= null;
  u.bot_owner_id ??= null;
  u.timezone ??= '';
  u.avatar_url ??= null;
  u.avatar_version ??= 1;
  return user as T & User;
}

/**
 * A successful answer's body read chunk by chunk through JsonArraySlicer: its `members` elements
 * parsed one by one, the rest (result, msg) parsed as a small object at the end.
 */
async function readSliced(response: Response, url: string, slicer: Slicer, sliced: SlicedArray = { key: 'members' }): Promise<unknown> {
  // A small answer is parsed in one go, as before: slicing it would only cost time. Past
  // SMALL_ANSWER_BYTES the chunks received so far go to the scanner, and the rest as it comes.
  const early: Buffer[] = [];
  let earlyBytes = 0;
  let cutter: JsonArraySlicer | undefined;
  const stream = response.body as unknown as Readable;
  try {
    for await (const chunk of stream) {
      if (!cutter) {
        early.push(chunk as Buffer);
        earlyBytes += (chunk as Buffer).length;
        if (earlyBytes <= SMALL_ANSWER_BYTES) continue;
        cutter = new JsonArraySlicer(sliced.key, sliced.discard);
        for (const piece of early.splice(0)) {
          cutter.push(piece);
          await slicer.pause();
        }
        continue;
      }
      cutter.push(chunk as Buffer);
      await slicer.pause();
    }
  } catch (error) {
    stream.destroy();
    if (error instanceof ZulipError) throw error;
    throw transportError(error, url, false, 0);
  }
  if (!cutter) {
    const text = Buffer.concat(early).toString('utf8');
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new JsonSliceError((error as Error).message, text, earlyBytes);
    }
  }
  const { envelope, elements, bytes } = cutter.finish();
  let body: unknown;
  try {
    body = JSON.parse(envelope);
  } catch (error) {
    throw new JsonSliceError((error as Error).message, envelope, bytes);
  }
  if (elements && typeof body === 'object' && body !== null && !Array.isArray(body)) (body as Record<string, unknown>)[sliced.key] = elements;
  return body;
}

async function parseResponse<T>(response: Response, url: string, site: string, slicer?: Slicer, sliced?: SlicedArray): Promise<T> {
  const contentType = response.headers.get('content-type') ?? '';
  let text = '';
  let bytes = 0;
  let body: unknown;
  try {
    if (slicer && response.status === 200 && response.body) {
      body = await readSliced(response, url, slicer, sliced);
    } else {
      try {
        text = await response.text();
      } catch (error) {
        throw transportError(error, url, false, 0);
      }
      bytes = text.length;
      body = JSON.parse(text);
    }
  } catch (error) {
    if (error instanceof ZulipError) throw error;
    if (error instanceof JsonSliceError) {
      text = error.received;
      bytes = error.bytes;
    }
    const looksHtml = /html/i.test(contentType) || /^\s*</.test(text);
    if (looksHtml) {
      throw new ZulipError(
        response.status >= 500
          ? l10n.t('{0} answered with a web page (HTTP {1}) instead of Zulip data. The server or a proxy in front of it is having trouble; try again later.', url, response.status)
          : l10n.t('{0} answered with a web page (HTTP {1}) instead of Zulip data. Check that {2} is the address of a Zulip organization.', url, response.status, site),
        { kind: 'html', url, status: response.status },
      );
    }
    throw new ZulipError(
      bytes
        ? l10n.t('{0} sent a reply that is not valid JSON (HTTP {1}, {2} bytes). The connection may have been cut off; try again.', url, response.status, bytes)
        : l10n.t('{0} sent a reply that is not valid JSON (HTTP {1}, empty). The connection may have been cut off; try again.', url, response.status),
      { kind: 'malformedJson', url, status: response.status },
    );
  }
  const result = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  if (!result || (result.result !== 'success' && result.result !== 'error')) {
    throw new ZulipError(l10n.t('{0} answered (HTTP {1}), but not as a Zulip server does. Check that {2} is the address of a Zulip organization.', url, response.status, site), {
      kind: 'notZulip',
      url,
      status: response.status,
    });
  }
  if (response.status === 200 && result.result === 'success') return body as T;

  const code = typeof result.code === 'string' ? result.code : undefined;
  const serverMsg = typeof result.msg === 'string' ? result.msg : undefined;
  if (response.status === 401) {
    throw new ZulipError(
      serverMsg ? l10n.t('{0} no longer accepts this API key ("{1}"). Sign in again to continue.', site, serverMsg) : l10n.t('{0} no longer accepts this API key. Sign in again to continue.', site),
      { kind: 'unauthorized', url, status: 401, code, serverMsg },
    );
  }
  if (response.status === 429) {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), result['retry-after']);
    throw new ZulipError(
      retryAfter !== undefined
        ? l10n.t('{0} is limiting how fast requests may be made; it asked to wait {1} s. Try again in a moment.', site, retryAfter)
        : l10n.t('{0} is limiting how fast requests may be made. Try again in a moment.', site),
      { kind: 'rateLimited', url, status: 429, code, serverMsg, retryAfter },
    );
  }
  throw new ZulipError(
    `${serverMsg || l10n.t('The request failed with HTTP {0}', response.status)} (${url}${code && code !== 'BAD_REQUEST' ? `, ${code}` : ''}).`,
    { kind: 'api', url, status: response.status, code, serverMsg },
  );
}

function parseRetryAfter(header: string | null, bodyValue: unknown): number | undefined {
  const fromBody = typeof bodyValue === 'number' && Number.isFinite(bodyValue) ? bodyValue : undefined;
  const fromHeader = header !== null && header.trim() !== '' && Number.isFinite(Number(header)) ? Number(header) : undefined;
  const value = fromHeader ?? fromBody;
  return value === undefined ? undefined : Math.max(0, value);
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

function transportError(error: unknown, url: string, timedOut: boolean, timeoutMs: number): ZulipError {
  const err = error as { name?: string; code?: string; erroredSysCall?: string; message?: string };
  const code = err.code ?? '';
  if (timedOut || err.name === 'TimeoutError') {
    return new ZulipError(l10n.t('{0} did not answer within {1} s. Check your connection, or raise zulip.requestTimeoutSeconds.', url, Math.round(timeoutMs / MS_PER_SECOND)), {
      kind: 'timeout',
      url,
      cause: error,
    });
  }
  if (err.name === 'AbortError') {
    return new ZulipError(l10n.t('The request to {0} was cancelled.', url), { kind: 'cancelled', url, cause: error });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ZulipError(l10n.t('The name {0} could not be found (DNS). Check the organization URL and your connection.', new URL(url).hostname), {
      kind: 'dns',
      url,
      code,
      cause: error,
    });
  }
  if (TLS_CODES.has(code) || /certificate|ssl|tls/i.test(err.message ?? '')) {
    return new ZulipError(
      l10n.t('The secure connection to {0} failed ({1}). If the server uses its own certificate authority, set zulip.caBundlePath.', new URL(url).host, code || 'TLS'),
      { kind: 'tls', url, code, cause: error },
    );
  }
  const host = new URL(url).host;
  const message =
    code === 'ECONNREFUSED'
      ? l10n.t('{0} refused the connection ({1}). Check that the server is running and try again.', host, url)
      : code === 'ECONNRESET'
        ? l10n.t('{0} closed the connection ({1}). Check that the server is running and try again.', host, url)
        : l10n.t('{0} could not be reached ({1}) ({2}). Check that the server is running and try again.', host, code || err.message || 'network error', url);
  return new ZulipError(message, {
    kind: 'connection',
    url,
    code,
    cause: error,
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ZulipError(l10n.t('The request was cancelled.'), { kind: 'cancelled' }));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new ZulipError(l10n.t('The request was cancelled.'), { kind: 'cancelled' }));
      },
      { once: true },
    );
  });
}
