// One error type for everything that can go wrong talking to a Zulip server. Its message is for
// people: what happened, at which URL, and what to do. It never carries a credential: messages are
// built from the URL (which holds none) and the server's own status, code and msg.

export type ZulipErrorKind =
  /** The server answered with a Zulip error (`result: "error"`). */
  | 'api'
  /** HTTP 401: the credentials no longer work. */
  | 'unauthorized'
  /** HTTP 429 after the allowed retries. */
  | 'rateLimited'
  /** The JWT endpoint refused the token; `message` says why. */
  | 'jwt'
  /** A web page came back instead of JSON (proxy, login portal, error page). */
  | 'html'
  /** JSON that is not a Zulip answer, or a 404 page of something else. */
  | 'notZulip'
  | 'malformedJson'
  /** The server sent us elsewhere; credentials are never sent to another origin. */
  | 'redirect'
  | 'timeout'
  | 'dns'
  | 'tls'
  | 'connection'
  | 'cancelled'
  /** The HTTP proxy in between failed or refused (HTTP 407: it wants credentials). */
  | 'proxy'
  /** The site URL itself is unusable. */
  | 'badUrl';

export interface ZulipErrorDetails {
  kind: ZulipErrorKind;
  /** The request's URL without query string. */
  url?: string;
  status?: number;
  code?: string;
  /** The server's own (translated) message. */
  serverMsg?: string;
  /** Seconds the server asked us to wait (429). */
  retryAfter?: number;
  /** Where a redirect pointed. */
  location?: string;
  cause?: unknown;
}

export class ZulipError extends Error {
  readonly kind: ZulipErrorKind;
  readonly url?: string;
  readonly status?: number;
  readonly code?: string;
  readonly serverMsg?: string;
  readonly retryAfter?: number;
  readonly location?: string;

  constructor(message: string, details: ZulipErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ZulipError';
    this.kind = details.kind;
    this.url = details.url;
    this.status = details.status;
    this.code = details.code;
    this.serverMsg = details.serverMsg;
    this.retryAfter = details.retryAfter;
    this.location = details.location;
  }

  /**
   * Worth trying again later by itself: the server, a proxy or the network may come back (a web
   * page from a proxy, a redirect, a certificate being renewed). Not a refused key, a cancelled
   * request, or an answer that will not change (a 4xx for an endpoint this server lacks, a
   * host that is no Zulip server, a refused JWT).
   */
  get isTransient(): boolean {
    switch (this.kind) {
      case 'unauthorized':
      case 'cancelled':
      case 'jwt':
      case 'badUrl':
      case 'notZulip':
        return false;
      case 'api':
        return this.status === undefined || this.status >= 500;
      default:
        return true;
    }
  }

  /** Only the credentials' fault: the account needs signing in again. */
  get needsSignIn(): boolean {
    return this.kind === 'unauthorized';
  }
}

/**
 * What to do after a failed request: the one classification behind every retry decision (the
 * event queue, a failed refresh). Errors that are not ZulipErrors come from this side of the
 * connection and are tried again.
 */
export function recoveryOf(error: unknown): 'retry' | 'signIn' | 'stop' {
  if (!(error instanceof ZulipError)) return 'retry';
  if (error.needsSignIn) return 'signIn';
  return error.isTransient ? 'retry' : 'stop';
}

/** Text for people, for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Replaces every occurrence of the given secrets in a text. Used on anything headed for a log. */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result;
}
