// Shared helpers for the server's own tests: real sockets, plain fetch.
import assert from 'node:assert/strict';
import http from 'node:http';
import { startZulipServer, type ZulipServer, type ZulipServerOptions } from '../../server/app';
import type { ZulipAnswer } from './wire';

export interface Credentials {
  email: string;
  apiKey: string;
}

export interface ApiResult<T extends object = ZulipAnswer> {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON (of the shape the caller names), or undefined when the body is not JSON. */
  json: T | undefined;
}

export function basicAuth(credentials: Credentials): string {
  return 'Basic ' + Buffer.from(`${credentials.email}:${credentials.apiKey}`).toString('base64');
}

export function credentialsOf(server: ZulipServer, userId: number): Credentials {
  const user = server.org.getUser(userId);
  if (!user) throw new Error(`No user ${userId}`);
  return { email: user.delivery_email, apiKey: user.api_key };
}

export interface CallOptions {
  /** Default: the demo user; null: no Authorization header. */
  auth?: Credentials | null;
  query?: Record<string, string | number | boolean | unknown[]>;
  form?: Record<string, string | number | boolean | unknown[]>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Zulip's encoding: strings as they are, everything else as JSON. */
function encode(params: Record<string, string | number | boolean | unknown[]>): URLSearchParams {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) search.append(name, typeof value === 'string' ? value : JSON.stringify(value));
  return search;
}

export async function call<T extends object = ZulipAnswer>(server: ZulipServer, method: string, path: string, options: CallOptions = {}): Promise<ApiResult<T>> {
  const url = new URL(path.startsWith('/api/') || path.startsWith('/__') ? path : `/api/v1${path}`, server.url);
  if (options.query) url.search = encode(options.query).toString();
  const headers: Record<string, string> = { ...options.headers };
  const auth = options.auth === undefined ? server.demo : options.auth;
  if (auth) headers.Authorization = basicAuth(auth);
  let body: string | undefined;
  if (options.form) {
    body = encode(options.form).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  const response = await fetch(url, { method, headers, body, redirect: 'manual', signal: options.signal });
  const text = await response.text();
  let json: T | undefined;
  try {
    json = JSON.parse(text) as T;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A request with a Host header of our choosing (fetch does not let us set it). */
export function rawRequest(
  server: ZulipServer,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(options.path, server.url), { method: options.method, headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

export async function withServer<T>(options: ZulipServerOptions, body: (server: ZulipServer) => Promise<T>): Promise<T> {
  const server = await startZulipServer({ port: 0, ...options });
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

/** Zulip's error envelope: status, code and msg exactly. */
export function assertZulipError(result: ApiResult, status: number, code: string, msg: string | RegExp): void {
  assert.equal(result.status, status, `status of ${result.text}`);
  assert.ok(result.json, `JSON body expected, got ${result.text}`);
  assert.equal(result.json.result, 'error');
  assert.equal(result.json.code, code);
  if (typeof msg === 'string') assert.equal(result.json.msg, msg);
  else assert.match(result.json.msg, msg);
}
