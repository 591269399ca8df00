// Scripted faults: the next N answers (optionally only under a path prefix) are replaced by a
// failure a client must survive: error statuses, resets, stalls, broken or foreign bodies.

export type Fault =
  | {
      kind: 'status';
      status: number;
      /** An object is sent as JSON; a string as given (HTML by default when it starts with "<"). */
      body?: string | Record<string, unknown>;
      contentType?: string;
      headers?: Record<string, string>;
    }
  /** The connection is reset (TCP RST) without an answer. */
  | { kind: 'reset' }
  /** The request is accepted and never answered (until the server closes). */
  | { kind: 'stall' }
  /** The real answer, cut in the middle of its JSON (the HTTP message itself is complete). */
  | { kind: 'truncated-json' }
  /** The real answer, labelled with another content type (default text/html). */
  | { kind: 'wrong-content-type'; contentType?: string }
  /** A redirect, e.g. to another host (a captive portal or a misconfigured proxy). */
  | { kind: 'redirect'; location: string; status?: 301 | 302 | 303 | 307 | 308 }
  /** 200 with an HTML page, like a proxy's login page. */
  | { kind: 'html'; body?: string };

export interface FaultRule {
  fault: Fault;
  /** Answers still to fault. */
  remaining: number;
  /** URL path prefix; undefined: every request (the /__control/ API is never faulted). */
  path?: string;
}

export interface FaultOptions {
  count?: number;
  path?: string;
}

const KINDS = new Set(['status', 'reset', 'stall', 'truncated-json', 'wrong-content-type', 'redirect', 'html']);

/** Checks a fault that arrived as JSON (control API) or from a test. */
export function checkFault(input: unknown): Fault {
  if (typeof input !== 'object' || input === null) throw new TypeError('fault must be an object');
  const fault = input as Record<string, unknown>;
  if (typeof fault.kind !== 'string' || !KINDS.has(fault.kind)) throw new TypeError(`Unknown fault kind ${String(fault.kind)}`);
  if (fault.kind === 'status' && (!Number.isInteger(fault.status) || (fault.status as number) < 100 || (fault.status as number) > 599)) {
    throw new TypeError('status fault needs an HTTP status');
  }
  if (fault.kind === 'redirect' && typeof fault.location !== 'string') throw new TypeError('redirect fault needs a location');
  return input as Fault;
}

/** API paths may be given without /api/v1 ("/users" means "/api/v1/users"). */
function normalizePrefix(path: string): string {
  if (/^\/(api|avatar|user_avatars|static)(\/|$)/.test(path)) return path;
  return '/api/v1' + (path.startsWith('/') ? path : '/' + path);
}

export class FaultController {
  private rules: FaultRule[] = [];

  push(fault: Fault, options: FaultOptions = {}): void {
    const count = options.count ?? 1;
    if (!(count > 0)) throw new RangeError('count must be positive');
    this.rules.push({ fault: checkFault(fault), remaining: count, path: options.path === undefined ? undefined : normalizePrefix(options.path) });
  }

  clear(): void {
    this.rules = [];
  }

  pending(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  /** The fault for this request, if one is scheduled; consumes one use of it. */
  take(pathname: string): Fault | undefined {
    const index = this.rules.findIndex((rule) => rule.path === undefined || pathname.startsWith(rule.path));
    if (index < 0) return undefined;
    const rule = this.rules[index];
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules.splice(index, 1);
    return rule.fault;
  }
}
