// What an API handler gets to work with.
import type { EventHub } from './events';
import type { Org } from './org';
import type { Params } from './params';
import type { UserRecord } from './types';

export interface ApiContext {
  org: Org;
  hub: EventHub;
  params: Params;
  /** The authenticated requester (routes without auth get undefined). */
  user: UserRecord | undefined;
  /** Captures of the route pattern, URL-decoded. */
  pathArgs: string[];
  /** Aborted when the client goes away (long-polls stop waiting). */
  signal: AbortSignal;
  /** The organization's URL, e.g. http://127.0.0.1:9991 */
  siteUrl: string;
  /** False when the Host header names no organization of this server. */
  realmHost: boolean;
  jwtKey: Uint8Array;
  longPollTimeoutSeconds: number;
}

export function requireUser(context: ApiContext): UserRecord {
  if (!context.user) throw new Error('Route needs authentication');
  return context.user;
}
