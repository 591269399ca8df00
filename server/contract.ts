// Contract validation against Zulip's own OpenAPI description (zulip.yaml of Zulip Server 10.2),
// with openapi-backend (Ajv underneath). Requests: the method and path must be an operation of
// zulip.yaml, every parameter name must be declared there (Zulip ignores unknown ones, our client
// must not send them) and every value must have the declared type. Responses: the body must match
// the operation's schema for that status.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OpenAPIBackend, type Operation, type ValidationResult } from 'openapi-backend';
import { parse } from 'yaml';
import { applyLaterChanges, CONTRACT_SUPPLEMENT } from './contract-supplement';

/**
 * Zulip Server 10.2's description, read from the shared API material that sits beside the
 * repository (../shared/zulip-api, present on every development and CI machine).
 */
export const ZULIP_YAML_PATH = process.env.ZULIP_YAML ?? path.resolve(__dirname, '..', '..', 'shared', 'zulip-api', 'zulip.yaml');

type Json = Record<string, unknown>;
/** Ajv's error objects, as openapi-backend hands them out (ajv itself is not a direct dependency). */
type ErrorObject = NonNullable<ValidationResult['errors']>[number];

export interface RequestCheck {
  /** The operation the request was matched to, when there is one. */
  operationId: string | undefined;
  violations: string[];
}

export type HeaderBag = Record<string, string | string[] | undefined>;
export type ParamBag = URLSearchParams | Record<string, string>;

// ---- zulip.yaml as loaded: narrow repairs where it is wrong for a validator, and our stricter rules ----

/**
 * zulip.yaml's `allOf: [Base, {additionalProperties: false, properties: {x: {nullable: true}}}]`
 * pattern repeats `nullable` without `type` to list x as allowed. Without `type`, `nullable` adds
 * no constraint in OpenAPI 3.0, but Ajv refuses to compile it ("nullable" cannot be used without
 * "type"), so it is dropped there, and only there.
 */
function dropTypelessNullable(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(dropTypelessNullable);
  } else if (node && typeof node === 'object') {
    const object = node as Json;
    if ('nullable' in object && !('type' in object)) delete object.nullable;
    Object.values(object).forEach(dropTypelessNullable);
  }
}

function repair(doc: Json): void {
  dropTypelessNullable(doc);
  const components = doc.components as { schemas: Record<string, Json> };
  // RateLimitedError declares retry-after an integer, but the server sends fractional seconds
  // (the schema's own example is 28.706807374954224).
  const rateLimited = (components.schemas.RateLimitedError.allOf as Json[])[1] as { properties: Record<string, Json> };
  rateLimited.properties['retry-after'] = { ...rateLimited.properties['retry-after'], type: 'number' };
  // The shared error responses are `oneOf` lists of schemas that are all plain CodedError; a
  // body can never match exactly one of identical schemas, so they are meant as `anyOf`.
  const errorHandling = (doc.paths as Record<string, Record<string, Json>>)['/rest-error-handling'].post;
  const responses = errorHandling.responses as Record<string, { content: { 'application/json': { schema: Json } } }>;
  for (const response of Object.values(responses)) {
    const schema = response.content['application/json'].schema;
    if (schema.oneOf) {
      schema.anyOf = schema.oneOf;
      delete schema.oneOf;
    }
  }
  // Elsewhere too, error responses listed as `oneOf` several CodedError examples (POST
  // /users/me/status's 400) can never match exactly one: they are `anyOf` as well.
  for (const methods of Object.values(doc.paths as Record<string, Record<string, Json>>)) {
    for (const operation of Object.values(methods)) {
      for (const response of Object.values((operation.responses ?? {}) as Record<string, Json>)) {
        const schema = (response.content as Record<string, { schema?: Json }> | undefined)?.['application/json']?.schema;
        const branches = schema?.oneOf as Json[] | undefined;
        if (schema && branches?.every((branch) => JSON.stringify(branch).includes('#/components/schemas/CodedError'))) {
          schema.anyOf = branches;
          delete schema.oneOf;
        }
      }
    }
  }
  // Errors an operation does not document are checked against Zulip's generic error shape.
  responses.default = {
    description: 'Any other error.',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/CodedError' } } },
  } as never;
  // Unknown form parameter names are violations, as unknown query names already are.
  for (const methods of Object.values(doc.paths as Record<string, Record<string, Json>>)) {
    for (const operation of Object.values(methods)) {
      const form = (operation.requestBody as Json | undefined)?.content as Record<string, { schema?: Json }> | undefined;
      const schema = form?.['application/x-www-form-urlencoded']?.schema;
      if (schema && schema.properties && !('$ref' in schema) && schema.additionalProperties === undefined) {
        schema.additionalProperties = false;
      }
    }
  }
}

function mergeSupplement(doc: Json, later: boolean): void {
  if (later) applyLaterChanges(doc);
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const extra = structuredClone(CONTRACT_SUPPLEMENT.paths) as unknown as Record<string, Record<string, Json>>;
  for (const [route, methods] of Object.entries(extra)) {
    for (const [method, operation] of Object.entries(methods)) {
      const existing = paths[route]?.[method];
      if (!existing) {
        paths[route] = { ...paths[route], [method]: operation };
      } else {
        // Only parameters are added to an existing operation.
        existing.parameters = [...((existing.parameters as unknown[]) ?? []), ...((operation.parameters as unknown[]) ?? [])];
      }
    }
  }
}

// ---- reading the dereferenced operations ----

interface Declared {
  query: Set<string>;
  /** Form body property schemas. */
  body: Record<string, Json> | undefined;
  /** Form properties declared as JSON-encoded. */
  jsonEncoded: Set<string>;
}

function declared(operation: Operation): Declared {
  const query = new Set<string>();
  for (const parameter of (operation.parameters ?? []) as Array<{ in: string; name: string }>) {
    if (parameter.in === 'query') query.add(parameter.name);
  }
  const form = (operation.requestBody as { content?: Record<string, { schema?: Json; encoding?: Record<string, { contentType?: string }> }> } | undefined)
    ?.content?.['application/x-www-form-urlencoded'];
  const jsonEncoded = new Set<string>();
  for (const [name, encoding] of Object.entries(form?.encoding ?? {})) {
    if (encoding.contentType === 'application/json') jsonEncoded.add(name);
  }
  return { query, body: form?.schema?.properties as Record<string, Json> | undefined, jsonEncoded };
}

/** Zulip's form values are JSON text for anything that is not a string. */
function decodeFormValue(name: string, raw: string, schema: Json | undefined, jsonEncoded: boolean): { value: unknown; error?: string } {
  const type = schema?.type;
  if (!jsonEncoded && (type === 'string' || schema === undefined)) return { value: raw };
  try {
    return { value: JSON.parse(raw) as unknown };
  } catch {
    if (type === undefined || type === 'string') return { value: raw };
    return { value: raw, error: `form parameter ${name} is not valid JSON: ${JSON.stringify(raw)}` };
  }
}

function pathPattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\{[^}]+\}/g, '[^/]+')}$`);
}

function describeError(error: ErrorObject, place: string): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${place}: unexpected property '${String(params.additionalProperty)}'`;
    case 'required':
      return `${place}: missing required '${String(params.missingProperty)}'`;
    case 'enum':
      return `${place}: must be one of ${JSON.stringify(params.allowedValues)}`;
    default:
      return `${place}: ${error.message ?? error.keyword}`;
  }
}

/** With `oneOf`, Ajv reports every branch's failure; the `oneOf` error itself says enough. */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const definite = errors.filter((error) => !/\/(oneOf|anyOf)\//.test(error.schemaPath));
  return definite.length ? definite : errors;
}

function requestErrorText(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const section = /^\/(query|requestBody|path)/.exec(error.instancePath)?.[1];
  const label = section === 'query' ? 'query parameter' : section === 'requestBody' ? 'form parameter' : section === 'path' ? 'path parameter' : 'request';
  if (error.keyword === 'additionalProperties' && (error.instancePath === '/query' || error.instancePath === '/requestBody')) {
    return `unknown ${label} '${String(params.additionalProperty)}'`;
  }
  if (error.keyword === 'required' && (error.instancePath === '/query' || error.instancePath === '/requestBody')) {
    return `missing required ${label} '${String(params.missingProperty)}'`;
  }
  if (error.keyword === 'required' && error.instancePath === '') {
    return params.missingProperty === 'requestBody' ? 'missing required form body' : `missing required ${String(params.missingProperty)} parameters`;
  }
  const [, , name = '', ...rest] = error.instancePath.split('/');
  return describeError(error, `${label} ${[name, ...rest].join('/')}`.trim());
}

export class Contract {
  private constructor(
    private readonly api: OpenAPIBackend,
    private readonly operations: Operation[],
  ) {}

  static async load(yamlPath: string = ZULIP_YAML_PATH, options: ContractOptions = {}): Promise<Contract> {
    const doc = parse(readFileSync(path.resolve(yamlPath), 'utf8')) as Json;
    repair(doc);
    mergeSupplement(doc, options.later ?? false);
    // quick: validators are compiled per operation on first use (compiling all takes seconds).
    const api = new OpenAPIBackend({ definition: doc as never, quick: true, ajvOpts: { allErrors: true } });
    await api.init();
    return new Contract(api, api.router.getOperations());
  }

  hasOperation(operationId: string): boolean {
    return this.operations.some((operation) => operation.operationId === operationId);
  }

  /** `apiPath` is relative to /api/v1, e.g. "/users/10". */
  validateRequest(method: string, apiPath: string, query: ParamBag, body: ParamBag | undefined, headers: HeaderBag = {}): RequestCheck {
    const verb = method.toLowerCase();
    const label = `${method.toUpperCase()} ${apiPath}`;
    const onPath = this.operations.filter((operation) => pathPattern(operation.path).test(apiPath));
    // Literal paths (/users/me) before templates (/users/{email}), longer literals first; then
    // typed path parameters (/users/{user_id}: integer) before plain strings (/users/{email}).
    const literalLength = (operation: Operation): number => operation.path.replace(/\{[^}]+\}/g, '').length;
    const typedPathParameters = (operation: Operation): number =>
      ((operation.parameters ?? []) as Array<{ in: string; schema?: { type?: string } }>).filter(
        (parameter) => parameter.in === 'path' && parameter.schema?.type !== undefined && parameter.schema.type !== 'string',
      ).length;
    let candidates = onPath
      .filter((operation) => operation.method === verb)
      .sort((a, b) => literalLength(b) - literalLength(a) || typedPathParameters(b) - typedPathParameters(a));
    // As in OpenAPI, a concrete path is that operation and no template's.
    const exact = candidates.filter((operation) => operation.path === apiPath);
    if (exact.length) candidates = exact;
    if (!candidates.length) {
      const others = [...new Set(onPath.map((operation) => operation.method.toUpperCase()))];
      const hint = others.length ? ` (zulip.yaml has ${others.join(', ')} there)` : '';
      return { operationId: undefined, violations: [`${label} request: no operation of zulip.yaml matches${hint}`] };
    }
    const values = new Map<string, { value: string; from: 'query' | 'body' }>();
    for (const [name, value] of entries(query)) values.set(name, { value, from: 'query' });
    for (const [name, value] of entries(body)) values.set(name, { value, from: 'body' });

    let firstFailure: string[] | undefined;
    for (const operation of candidates) {
      const problems = this.checkOperation(operation, verb, apiPath, values, headers);
      if (!problems.length) return { operationId: operation.operationId, violations: [] };
      firstFailure ??= problems.map((problem) => `${label} request (${operation.operationId}): ${problem}`);
    }
    return { operationId: candidates[0].operationId, violations: firstFailure ?? [] };
  }

  /** Checks a response body against the operation's schema for that status. */
  validateResponse(operationId: string, status: number, body: unknown): string[] {
    const operation = this.operations.find((candidate) => candidate.operationId === operationId);
    if (!operation) return [`response: unknown operation ${operationId}`];
    const label = `${operation.method.toUpperCase()} ${operation.path} response ${status} (${operationId})`;
    let target = operationId;
    if (!hasResponseSchema(operation, status)) {
      if (status < 400) return [];
      // Errors the operation does not list: the shared shapes of /rest-error-handling.
      target = 'rest-error-handling';
    }
    const result = this.api.validator.validateResponse(body, target, status);
    if (result.valid || !result.errors) return [];
    return relevant(result.errors).slice(0, 8).map((error) => `${label}: ${describeError(error, `body${error.instancePath}`)}`);
  }

  private checkOperation(
    operation: Operation,
    verb: string,
    apiPath: string,
    values: Map<string, { value: string; from: 'query' | 'body' }>,
    headers: HeaderBag,
  ): string[] {
    const declaration = declared(operation);
    const problems: string[] = [];
    const query: Record<string, string> = {};
    const form: Record<string, unknown> = {};
    let hasForm = false;
    // Zulip reads every parameter from the query string or the form body alike (a GET cannot
    // carry a body, yet zulip.yaml documents some GET parameters as a form body), so each name
    // is checked where zulip.yaml declares it, wherever the client put it.
    for (const [name, { value, from }] of values) {
      const inBody = declaration.body !== undefined && name in declaration.body;
      const inQuery = declaration.query.has(name);
      if (inQuery || (!inBody && from === 'query')) {
        query[name] = value;
      } else {
        const decoded = decodeFormValue(name, value, declaration.body?.[name], declaration.jsonEncoded.has(name));
        if (decoded.error) problems.push(decoded.error);
        form[name] = decoded.value;
        hasForm = true;
      }
    }
    const cleanHeaders: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) cleanHeaders[name.toLowerCase()] = value;
    if (hasForm || operation.requestBody) cleanHeaders['content-type'] = 'application/x-www-form-urlencoded';
    const request = { method: verb, path: apiPath, query, headers: cleanHeaders, body: hasForm || operation.requestBody ? form : undefined };
    const result = this.api.validator.validateRequest(request, operation);
    if (!result.valid && result.errors) {
      for (const error of relevant(result.errors)) {
        // An optional form body left empty is not an error (Zulip sends no body then).
        if (error.keyword === 'required' && error.instancePath === '' && (error.params as Json).missingProperty === 'requestBody' && !hasForm) {
          if (!(operation.requestBody as { required?: boolean } | undefined)?.required) continue;
        }
        problems.push(requestErrorText(error));
      }
    }
    return problems;
  }
}

function entries(bag: ParamBag | undefined): Array<[string, string]> {
  if (!bag) return [];
  return bag instanceof URLSearchParams ? [...bag.entries()] : Object.entries(bag);
}

function hasResponseSchema(operation: Operation, status: number): boolean {
  const responses = (operation.responses ?? {}) as Record<string, { content?: Record<string, { schema?: unknown }> }>;
  const response = responses[String(status)] ?? responses[`${Math.floor(status / 100)}XX`] ?? responses.default;
  return Boolean(response?.content?.['application/json']?.schema);
}

export interface ContractOptions {
  /** Apply the documented changes after 10.2 (contract-supplement.ts applyLaterChanges). */
  later?: boolean;
}

const shared = new Map<boolean, Promise<Contract>>();

/** zulip.yaml is parsed once per process and variant, on first use. */
export function loadContract(options: ContractOptions = {}): Promise<Contract> {
  const later = options.later ?? false;
  let contract = shared.get(later);
  if (!contract) {
    contract = Contract.load(ZULIP_YAML_PATH, { later });
    shared.set(later, contract);
  }
  return contract;
}
