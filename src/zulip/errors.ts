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

  /** Errors worth retrying later on their own: the server or the network may come back. */
  get isTransient(): boolean {
    return (
      this.kind === 'timeout' ||
      this.kind === 'connection' ||
      this.kind === 'dns' ||
      this.kind === 'rateLimited' ||
      this.kind === 'html' ||
      this.kind === 'malformedJson' ||
      (this.kind === 'api' && this.status !== undefined && this.status >= 500)
    );
  }

  /** Only the credentials' fault: the account needs signing in again. */
  get needsSignIn(): boolean {
    return this.kind === 'unauthorized';
  }
}

export function isZulipError(error: unknown): error is ZulipError {
  return error instanceof ZulipError;
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
