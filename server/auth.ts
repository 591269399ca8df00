// HTTP Basic authentication as Zulip's API does it: the user name is the real (delivery) email,
// the password the API key. Every failure is a 401 UNAUTHORIZED with WWW-Authenticate.
import { timingSafeEqual } from 'node:crypto';
import type { Org } from './org';
import { ApiError } from './reply';
import type { UserRecord } from './types';

const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="zulip"' };

export function unauthorized(message: string): ApiError {
  return new ApiError(401, 'UNAUTHORIZED', message, {}, CHALLENGE);
}

export interface BasicCredentials {
  email: string;
  apiKey: string;
}

/** undefined: no header; null: a header that is not valid Basic credentials. */
export function parseBasicAuth(header: string | undefined): BasicCredentials | null | undefined {
  if (header === undefined) return undefined;
  const [scheme, encoded, ...rest] = header.trim().split(/\s+/);
  if (!scheme || scheme.toLowerCase() !== 'basic' || !encoded || rest.length) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { email: decoded.slice(0, colon), apiKey: decoded.slice(colon + 1) };
}

function sameKey(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function authenticate(org: Org, header: string | undefined, realmHost: boolean): UserRecord {
  const credentials = parseBasicAuth(header);
  if (credentials === undefined) throw unauthorized('Missing authorization header for basic auth');
  if (credentials === null) throw unauthorized('Invalid authorization header for basic auth');
  if (!realmHost) throw unauthorized('Account is not associated with this subdomain');
  if (org.realm.deactivated) throw unauthorized('This organization has been deactivated');
  // Only the real address works: the user{id}@ placeholder is not a login.
  const user = org.userByDeliveryEmail(credentials.email);
  if (!user || !sameKey(user.api_key, credentials.apiKey)) throw unauthorized('Invalid API key');
  if (!user.is_active) throw unauthorized('Account is deactivated');
  return user;
}
