// The faults the extension must survive, named once for the unit tests, the integration suite,
// the end-to-end tests and RELIABILITY.md (which fails when one of them was never tried).
import type { Fault } from '../../server/faults';

export interface FaultCase {
  id: string;
  /** How RELIABILITY.md names it. */
  name: string;
  /** The server's scripted answer; undefined for queue, restart and startup cases. */
  fault?: Fault;
  /**
   * needsSignIn: the account asks to sign in again, the key stays; transient: the last good list
   * stays, marked stale, and comes back by itself; harmless: nothing to show at all.
   */
  expect: 'needsSignIn' | 'transient' | 'harmless';
  /** What the message shown for it says. */
  message: RegExp;
}

const unauthorized = (msg: string, code: string): Fault => ({ kind: 'status', status: 401, body: { result: 'error', msg, code } });
const rateLimited = (seconds: string): Fault => ({
  kind: 'status',
  status: 429,
  headers: { 'Retry-After': seconds },
  body: { result: 'error', msg: 'API usage exceeded rate limit', code: 'RATE_LIMIT_HIT', 'retry-after': Number(seconds) },
});
/** What nginx in front of Zulip answers (the server's default body for 5xx). */
const proxyError = (status: number): Fault => ({ kind: 'status', status });

/** Faults a single answer of the server can carry. */
export const ANSWER_FAULTS: readonly FaultCase[] = [
  { id: '401-invalid-api-key', name: '401 "Invalid API key" (UNAUTHORIZED)', fault: unauthorized('Invalid API key', 'UNAUTHORIZED'), expect: 'needsSignIn', message: /no longer accepts this API key \("Invalid API key"\)/ },
  { id: '401-account-deactivated', name: '401 "Account is deactivated" (UNAUTHORIZED)', fault: unauthorized('Account is deactivated', 'UNAUTHORIZED'), expect: 'needsSignIn', message: /Account is deactivated/ },
  { id: '401-INVALID_API_KEY', name: '401 INVALID_API_KEY', fault: unauthorized('Invalid API key', 'INVALID_API_KEY'), expect: 'needsSignIn', message: /no longer accepts this API key/ },
  { id: '401-USER_DEACTIVATED', name: '401 USER_DEACTIVATED', fault: unauthorized('Account is deactivated', 'USER_DEACTIVATED'), expect: 'needsSignIn', message: /Account is deactivated/ },
  { id: '401-REALM_DEACTIVATED', name: '401 REALM_DEACTIVATED', fault: unauthorized('This organization has been deactivated', 'REALM_DEACTIVATED'), expect: 'needsSignIn', message: /This organization has been deactivated/ },
  { id: '429-retry-after', name: '429 with Retry-After: 1', fault: rateLimited('1'), expect: 'transient', message: /limiting how fast requests may be made; it asked to wait 1 s/ },
  { id: '429-retry-after-fractional', name: '429 with Retry-After: 0.3', fault: rateLimited('0.3'), expect: 'transient', message: /limiting how fast requests may be made; it asked to wait 0\.3 s/ },
  { id: '500-html', name: '500 with an HTML body', fault: proxyError(500), expect: 'transient', message: /answered with a web page \(HTTP 500\) instead of Zulip data\. The server or a proxy/ },
  { id: '502-html', name: '502 with an HTML body', fault: proxyError(502), expect: 'transient', message: /answered with a web page \(HTTP 502\)/ },
  { id: '503-html', name: '503 with an HTML body', fault: proxyError(503), expect: 'transient', message: /answered with a web page \(HTTP 503\)/ },
  { id: 'connection-reset', name: 'connection reset', fault: { kind: 'reset' }, expect: 'transient', message: /closed the connection|could not be reached/ },
  { id: 'stall', name: 'a stall with no bytes past the timeout', fault: { kind: 'stall' }, expect: 'transient', message: /did not answer within \d+ s/ },
  { id: 'truncated-json', name: 'truncated JSON', fault: { kind: 'truncated-json' }, expect: 'transient', message: /not valid JSON/ },
  { id: 'wrong-content-type', name: 'the wrong content type (JSON labelled text/html)', fault: { kind: 'wrong-content-type' }, expect: 'harmless', message: /^$/ },
  { id: 'redirect-other-host', name: 'a redirect to another host', expect: 'transient', message: /redirected to http:\/\/localhost:\d+\/api\/v1\/\S+, another site\. Zulip for VS Code does not send credentials to another site/ },
];

/** Faults of the event queue and of the server as a whole. */
export const SERVER_FAULTS: readonly FaultCase[] = [
  { id: 'bad-event-queue-id', name: 'BAD_EVENT_QUEUE_ID (the queue was garbage-collected)', expect: 'harmless', message: /^$/ },
  { id: 'restart-during-long-poll', name: 'the server restarting during a long-poll', expect: 'transient', message: /closed the connection|refused the connection|could not be reached/ },
  { id: 'gone-at-startup', name: 'the server gone when VS Code starts', expect: 'transient', message: /refused the connection|closed the connection|could not be reached/ },
];

/** Faults on this side and around it: the extension's own parts, the network in between, other windows. */
export const LOCAL_FAULTS: readonly FaultCase[] = [
  { id: 'listener-throws', name: 'a listener that throws (a broken view)', expect: 'harmless', message: /^$/ },
  { id: 'event-cannot-apply', name: 'an event that cannot be applied', expect: 'harmless', message: /Could not apply a realm_user event/ },
  { id: 'permanent-4xx', name: 'a 4xx from the event queue that will not change', expect: 'transient', message: /Invalid narrow|Not found/ },
  { id: 'overlapping-opens', name: 'two overlapping opens of one account', expect: 'harmless', message: /^$/ },
  { id: 'proxy-down', name: 'the HTTP proxy down', expect: 'transient', message: /could not be reached through the proxy/ },
  { id: 'proxy-407', name: 'an HTTP proxy that wants credentials (407)', expect: 'transient', message: /asks for credentials \(HTTP 407\)/ },
  { id: 'second-window-sign-out', name: 'a sign-out in another window', expect: 'harmless', message: /^$/ },
  // Tried by test/e2e/privacy.test.ts: the profile page's CSP blocks the image, and a server
  // listening as that host counts no connection at all.
  { id: 'foreign-image-host', name: "a profile field holding another host's image (blocked; no request reaches that host)", expect: 'harmless', message: /^$/ },
];

export const ALL_FAULTS: readonly FaultCase[] = [...ANSWER_FAULTS, ...SERVER_FAULTS, ...LOCAL_FAULTS];

export function faultCase(id: string): FaultCase {
  const found = ALL_FAULTS.find((f) => f.id === id);
  if (!found) throw new Error(`No fault ${id} in the catalog`);
  return found;
}
