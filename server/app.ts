// A Zulip-compatible HTTP server: the project's demo organization and the test bed for every
// test that crosses HTTP. Plain node:http; one request goes: log, scripted fault, route,
// authenticate, rate-limit, handle, contract-check, write.
import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { SignJWT } from 'jose';
import { authenticate, parseBasicAuth } from './auth';
import type { ApiContext } from './context';
import { loadContract, type Contract } from './contract';
import { handleControl, type ControlTarget, type JwtOptions, type RequestLogEntry } from './control';
import { startDemoActivity } from './demoActivity';
import { EventHub } from './events';
import { DEFAULT_FEATURE_LEVEL, FEATURE } from './features';
import { FaultController, type Fault } from './faults';
import { addHostileMembers } from './hostile';
import { Outage } from './outage';
import { SecretLedger } from './secrets';
import { imageRoute } from './avatars';
import type { Org } from './org';
import { Params } from './params';
import { RateLimiter, type RateLimitOptions } from './rateLimit';
import { ApiError, bodyText, errorReply, JSON_TYPE, jsonReply, type Reply } from './reply';
import { matchRoute } from './routes';
import { buildOrg, defaultRealm, DEMO_USER_ID } from './seed';

export type { RequestLogEntry } from './control';
export type { Fault, FaultOptions } from './faults';

export interface ZulipServerOptions {
  /** 0 (default): a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Members generated beyond the demo organization (0 to 100,000). */
  generatedMembers?: number;
  seed?: string | number;
  /** The organization's HS256 JWT key. */
  jwtKey?: string;
  jwtEnabled?: boolean;
  /** Per user; false disables. Default 200 requests / 60 s as Zulip. */
  rateLimit?: RateLimitOptions | false;
  realmName?: string;
  /** Default 372 (Zulip Server 10.2). */
  featureLevel?: number;
  /** Check every request and response against zulip.yaml; see contractViolations. */
  validateContract?: boolean;
  /** Default 90. */
  longPollTimeoutSeconds?: number;
  /** Idle time before an event queue is garbage-collected; default 600. */
  queueTimeoutSeconds?: number;
  /** Host names (besides IP addresses and localhost) that name this organization. */
  realmHosts?: string[];
  /** Adds the hostile members of hostile.ts (script in names, javascript: links, …). */
  hostileMembers?: boolean;
  /** User groups generated beyond the seeded ones (0 to 5,000). */
  generatedGroups?: number;
  /** Share (0 to 1) of generated members given a status. */
  generatedStatusShare?: number;
  /** Demo mode: a member changes status and presence every `demoActivitySeconds` (default 20). */
  demoActivity?: boolean;
  demoActivitySeconds?: number;
  /** can_access_all_users_group is role:members: guests see only some users. */
  guestsRestricted?: boolean;
}

export interface ZulipServer {
  /** e.g. http://127.0.0.1:9991 */
  url: string;
  org: Org;
  events: EventHub;
  rateLimiter: RateLimiter;
  /** Every request but those to /__control/, in order. Never holds keys or bodies. */
  requests: RequestLogEntry[];
  contractViolations: string[];
  faults: FaultController;
  /** King Hamlet: a member whose address everyone may see. */
  demo: { email: string; apiKey: string; jwt: string; userId: number };
  /** Real address of a deactivated member (Ophelia). */
  deactivatedEmail: string;
  /**
   * Signs a token with the organization's key, or with another key (a string) to make a badly
   * signed one; claims may carry their own exp.
   */
  signJwt(claims: Record<string, unknown>, options?: JwtOptions | string): Promise<string>;
  /** Every API key and JWT this server issued, and every one a client presented. */
  secrets(): string[];
  /** Goes away as a crashed server does (connections cut, new ones refused) until outageEnd(). */
  outageStart(options?: { dropQueues?: boolean }): Promise<void>;
  outageEnd(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_JWT_KEY = 'zulip-for-vscode-demo-jwt-key-0123456789';
const MAX_BODY_BYTES = 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const TRANSFORMING_FAULTS = new Set<Fault['kind']>(['truncated-json', 'wrong-content-type']);

const LOGIN_PAGE = `<!DOCTYPE html>
<html><head><title>Sign in - Corporate Proxy</title></head>
<body><h1>Sign in to continue</h1>
<form method="post" action="/login"><input name="user"><input name="password" type="password"><button>Sign in</button></form>
</body></html>
`;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'BAD_REQUEST', 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function apiPathOf(url: URL): string {
  return url.pathname.slice('/api/v1'.length) || '/';
}

function isForm(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/** Answers written in place of the server's own, for the faults that do not need it. */
function faultReply(fault: Exclude<Fault, { kind: 'reset' | 'stall' | 'truncated-json' | 'wrong-content-type' }>): Reply {
  switch (fault.kind) {
    case 'status': {
      const { status } = fault;
      let body: string;
      let contentType: string;
      const headers: Record<string, string> = {};
      if (typeof fault.body === 'string') {
        body = fault.body;
        contentType = fault.contentType ?? (body.trimStart().startsWith('<') ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8');
      } else if (fault.body) {
        body = JSON.stringify(fault.body) + '\n';
        contentType = fault.contentType ?? JSON_TYPE;
      } else if (status === 401) {
        body = JSON.stringify({ result: 'error', msg: 'Invalid API key', code: 'UNAUTHORIZED' }) + '\n';
        contentType = JSON_TYPE;
        headers['WWW-Authenticate'] = 'Basic realm="zulip"';
      } else if (status === 429) {
        body = JSON.stringify({ result: 'error', msg: 'API usage exceeded rate limit', code: 'RATE_LIMIT_HIT', 'retry-after': 0.5 }) + '\n';
        contentType = JSON_TYPE;
        headers['Retry-After'] = '0.5';
      } else if (status >= 500) {
        // What a reverse proxy in front of Zulip answers.
        body = `<html><head><title>${status}</title></head><body><center><h1>${status} ${http.STATUS_CODES[status] ?? ''}</h1></center><hr><center>nginx</center></body></html>\n`;
        contentType = 'text/html; charset=utf-8';
      } else {
        body = JSON.stringify({ result: 'error', msg: http.STATUS_CODES[status] ?? 'Error', code: 'BAD_REQUEST' }) + '\n';
        contentType = JSON_TYPE;
      }
      return { status, headers: { ...headers, ...fault.headers }, contentType, body };
    }
    case 'redirect':
      return {
        status: fault.status ?? 302,
        headers: { Location: fault.location },
        contentType: 'text/html; charset=utf-8',
        body: `<html><body>Moved to <a href="${fault.location}">${fault.location}</a></body></html>\n`,
      };
    case 'html':
      return { status: 200, headers: {}, contentType: 'text/html; charset=utf-8', body: fault.body ?? LOGIN_PAGE };
  }
}

function transform(reply: Reply, fault: Fault): Reply {
  if (fault.kind === 'truncated-json') {
    const text = bodyText(reply).trimEnd();
    return { ...reply, contentType: JSON_TYPE, body: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
  }
  if (fault.kind === 'wrong-content-type') return { ...reply, contentType: fault.contentType ?? 'text/html; charset=utf-8' };
  return reply;
}

/** Waits for the socket to take more data; listeners are removed so long streams do not pile them up. */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

async function writeReply(res: ServerResponse, reply: Reply, headOnly: boolean): Promise<void> {
  res.statusCode = reply.status;
  for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', reply.contentType);
  const body = reply.body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(headOnly ? undefined : body);
    return;
  }
  if (headOnly) {
    res.end();
    return;
  }
  for (const chunk of body()) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await drainedOrClosed(res);
  }
  res.end();
}

export async function startZulipServer(options: ZulipServerOptions = {}): Promise<ZulipServer> {
  const host = options.host ?? '127.0.0.1';
  const realm = defaultRealm(options.featureLevel ?? DEFAULT_FEATURE_LEVEL, options.realmName ?? 'Zulip Dev');
  realm.jwtEnabled = options.jwtEnabled ?? true;
  realm.guestsRestricted = options.guestsRestricted ?? false;
  const org = buildOrg({
    seed: options.seed ?? 'zulip',
    generatedMembers: options.generatedMembers ?? 0,
    generatedGroups: options.generatedGroups,
    generatedStatusShare: options.generatedStatusShare,
    realm,
  });
  const stopDemoActivity = options.demoActivity ? startDemoActivity(org, options.demoActivitySeconds) : undefined;
  const longPollTimeoutSeconds = options.longPollTimeoutSeconds ?? 90;
  const events = new EventHub(org, { longPollTimeoutSeconds, queueTimeoutSeconds: options.queueTimeoutSeconds ?? 600 });
  const baseContract: Contract | undefined = options.validateContract ? await loadContract() : undefined;
  // A server newer than 10.2 is checked against zulip.yaml with the later changes applied (loaded on first need).
  const contractFor = async (): Promise<Contract | undefined> => {
    if (!baseContract || realm.featureLevel <= FEATURE.SERVER_10_2) return baseContract;
    return loadContract({ later: true });
  };
  const rateLimiter = new RateLimiter(options.rateLimit === undefined ? { limit: 200, windowSeconds: 60 } : options.rateLimit);
  const jwtKey = new TextEncoder().encode(options.jwtKey ?? DEFAULT_JWT_KEY);
  const realmHosts = new Set(['localhost', ...(options.realmHosts ?? []), host].map((name) => name.toLowerCase()));
  const faults = new FaultController();
  const ledger = new SecretLedger(org);
  if (options.hostileMembers) addHostileMembers(org);
  const requests: RequestLogEntry[] = [];
  const contractViolations: string[] = [];
  let siteUrl = '';

  const signJwt = async (claims: Record<string, unknown>, keyOrOptions: JwtOptions | string = {}): Promise<string> => {
    const jwtOptions = typeof keyOrOptions === 'string' ? { key: keyOrOptions } : keyOrOptions;
    // No iat: the demo token stays the same from run to run for a given key.
    const signer = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' });
    if (jwtOptions.expiresIn !== undefined) signer.setExpirationTime(Math.floor(Date.now() / 1000) + jwtOptions.expiresIn);
    const token = await signer.sign(jwtOptions.key === undefined ? jwtKey : new TextEncoder().encode(jwtOptions.key));
    ledger.add(token);
    return token;
  };

  const demoUser = org.getUser(DEMO_USER_ID);
  if (!demoUser) throw new Error('The demo user is missing from the seed');
  const demo = {
    email: demoUser.delivery_email,
    apiKey: demoUser.api_key,
    jwt: await signJwt({ email: demoUser.delivery_email }),
    userId: demoUser.user_id,
  };
  const deactivated = [...org.users.values()].find((user) => !user.is_active && !user.is_bot);
  if (!deactivated) throw new Error('The seed has no deactivated member');
  const controlTarget: ControlTarget = {
    get url() {
      return siteUrl;
    },
    org,
    hub: events,
    faults,
    rateLimiter,
    requests,
    contractViolations,
    demo,
    signJwt,
    // Later than the control API's own answer, which the outage would otherwise cut off.
    outage: (seconds, dropQueues) => void setTimeout(() => void outage.startFor(seconds, { dropQueues }), 100),
  };

  /** IP literals and localhost always reach the organization; other names only when configured. */
  const isRealmHost = (hostHeader: string | undefined): boolean => {
    if (!hostHeader) return true;
    const name = hostHeader.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
    return isIP(name) !== 0 || realmHosts.has(name);
  };

  async function api(req: IncomingMessage, url: URL, form: URLSearchParams | undefined, signal: AbortSignal): Promise<Reply> {
    const method = (req.method ?? 'GET').toUpperCase();
    const apiPath = apiPathOf(url);
    const match = matchRoute(method, apiPath, realm.featureLevel);
    if (match.kind === 'not-found') return errorReply(new ApiError(404, 'BAD_REQUEST', 'Not Found'));
    if (match.kind === 'method-not-allowed') {
      return errorReply(new ApiError(405, 'BAD_REQUEST', 'Method Not Allowed', { allowed_methods: match.allowed }, { Allow: match.allowed.join(', ') }));
    }
    const { route, args } = match;
    let rateHeaders: Record<string, string> = {};
    let reply: Reply;
    try {
      const realmHost = isRealmHost(req.headers.host);
      let user;
      if (route.auth) {
        user = authenticate(org, req.headers.authorization, realmHost);
        const verdict = rateLimiter.check(user.user_id);
        rateHeaders = verdict.headers;
        if (verdict.error) throw verdict.error;
      }
      const context: ApiContext = {
        org,
        hub: events,
        params: Params.merge(url.searchParams, form),
        user,
        pathArgs: args,
        signal,
        siteUrl,
        realmHost,
        jwtKey,
        longPollTimeoutSeconds,
      };
      reply = await route.handler(context);
    } catch (error) {
      if (!(error instanceof ApiError)) console.error('zulip test server:', error);
      reply = errorReply(error instanceof ApiError ? error : new ApiError(500, 'BAD_REQUEST', 'Internal server error'));
    }
    reply = { ...reply, operationId: route.operationId, headers: { ...rateHeaders, ...reply.headers } };
    const contract = await contractFor();
    if (contract) {
      let body: unknown;
      try {
        body = JSON.parse(bodyText(reply));
      } catch {
        contractViolations.push(`${method} ${apiPath} response ${reply.status}: body is not JSON`);
      }
      if (body !== undefined) contractViolations.push(...contract.validateResponse(route.operationId, reply.status, body));
    }
    return reply;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://server.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const aborter = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) aborter.abort();
    });
    let rawBody: string;
    try {
      rawBody = await readBody(req);
    } catch (error) {
      await writeReply(res, errorReply(error instanceof ApiError ? error : new ApiError(400, 'BAD_REQUEST', 'Bad request body')), false);
      return;
    }

    if (url.pathname.startsWith('/__control/')) {
      if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
        await writeReply(res, jsonReply(403, { ok: false, error: 'The control API answers loopback clients only' }), false);
        return;
      }
      const answer = await handleControl(controlTarget, method, url.pathname.slice('/__control/'.length), rawBody);
      await writeReply(res, jsonReply(answer.status, answer.body), false);
      return;
    }

    const entry: RequestLogEntry = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), at: Date.now() };
    const credentials = parseBasicAuth(req.headers.authorization);
    if (credentials) entry.authEmail = credentials.email;
    ledger.add(credentials?.apiKey);
    requests.push(entry);

    const isApi = url.pathname === '/api/v1' || url.pathname.startsWith('/api/v1/');
    const form = isApi && isForm(req) && rawBody ? new URLSearchParams(rawBody) : undefined;
    ledger.add(form?.get('token'));
    // The request is the client's whatever the answer will be, so it is checked before faults.
    const contract = await contractFor();
    if (contract && isApi) {
      if (rawBody && !form) {
        contractViolations.push(`${method} ${apiPathOf(url)} request: a body that is not application/x-www-form-urlencoded (Zulip reads form bodies only)`);
      }
      contractViolations.push(...contract.validateRequest(method, apiPathOf(url), url.searchParams, form, req.headers).violations);
    }

    const fault = faults.take(url.pathname);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'reset') {
      req.socket.resetAndDestroy();
      return;
    }
    if (fault?.kind === 'stall') return; // Never answered; close() ends the connection.
    if (fault && !TRANSFORMING_FAULTS.has(fault.kind)) {
      const reply = faultReply(fault as Parameters<typeof faultReply>[0]);
      entry.status = reply.status;
      await writeReply(res, reply, method === 'HEAD');
      return;
    }

    let reply: Reply;
    if (isApi) {
      reply = await api(req, url, form, aborter.signal);
    } else {
      reply = imageRoute(org, method, url.pathname) ?? {
        status: 404,
        headers: {},
        contentType: 'text/html; charset=utf-8',
        body: '<!DOCTYPE html><html><head><title>Page not found</title></head><body><h1>Page not found</h1></body></html>\n',
      };
    }
    if (fault) reply = transform(reply, fault);
    entry.status = reply.status;
    if (res.destroyed) return;
    await writeReply(res, reply, method === 'HEAD');
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('zulip test server:', error);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': JSON_TYPE });
      res.end();
    });
  });
  server.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  siteUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const outage = new Outage(server, events, () => ({ port, host }));

  return {
    url: siteUrl,
    org,
    events,
    rateLimiter,
    requests,
    contractViolations,
    faults,
    demo,
    deactivatedEmail: deactivated.delivery_email,
    signJwt,
    secrets: () => ledger.all(),
    outageStart: (outageOptions) => outage.start(outageOptions),
    outageEnd: () => outage.end(),
    close: async () => {
      stopDemoActivity?.();
      outage.cancel();
      events.close();
      if (outage.isDown) return;
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
