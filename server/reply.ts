// What a handler returns, and Zulip's success and error envelopes.

export interface Reply {
  status: number;
  headers: Record<string, string>;
  contentType: string;
  /** Text, bytes, or JSON text in pieces (GET /users streams 100,000 members). */
  body: string | Buffer | (() => Iterable<string>);
  /** The zulip.yaml operation this reply answers, for contract validation. */
  operationId?: string;
}

export const JSON_TYPE = 'application/json';

/** A Zulip API error: raised anywhere in a handler, becomes {"result":"error",...}. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function badRequest(message: string, extra: Record<string, unknown> = {}): ApiError {
  return new ApiError(400, 'BAD_REQUEST', message, extra);
}

export function jsonReply(status: number, data: unknown, headers: Record<string, string> = {}): Reply {
  // Zulip's responses end with a newline.
  return { status, headers, contentType: JSON_TYPE, body: JSON.stringify(data) + '\n' };
}

export function success(data: Record<string, unknown> = {}, ignored: string[] = []): Reply {
  const body: Record<string, unknown> = { result: 'success', msg: '', ...data };
  if (ignored.length) body.ignored_parameters_unsupported = ignored;
  return jsonReply(200, body);
}

export function errorReply(error: ApiError): Reply {
  return jsonReply(error.status, { result: 'error', msg: error.message, code: error.code, ...error.extra }, error.headers);
}

/** Materializes a reply's body as text (streams included). */
export function bodyText(reply: Reply): string {
  if (typeof reply.body === 'string') return reply.body;
  if (Buffer.isBuffer(reply.body)) return reply.body.toString('utf8');
  let text = '';
  for (const chunk of reply.body()) text += chunk;
  return text;
}
