// Zulip's request parameters: read from the query string or the form body alike; booleans,
// numbers and lists are JSON text. Error messages are those of zerver/lib/typed_endpoint.py.
import { ApiError, badRequest } from './reply';

export class Params {
  private readonly used = new Set<string>();

  constructor(private readonly values: ReadonlyMap<string, string>) {}

  /** Query first, then form body: like Django's request.POST, the body wins. */
  static merge(query: URLSearchParams, form: URLSearchParams | undefined): Params {
    const values = new Map<string, string>();
    for (const [name, value] of query) values.set(name, value);
    if (form) for (const [name, value] of form) values.set(name, value);
    return new Params(values);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  string(name: string): string | undefined {
    if (!this.values.has(name)) return undefined;
    this.used.add(name);
    return this.values.get(name);
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw missing(name);
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.json(name);
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') throw badRequest(`${name} is not a boolean`);
    return value;
  }

  int(name: string): number | undefined {
    const value = this.json(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw badRequest(`${name} is not an integer`);
    return value;
  }

  intList(name: string): number[] | undefined {
    const value = this.list(name);
    if (value === undefined) return undefined;
    value.forEach((item, i) => {
      if (typeof item !== 'number' || !Number.isInteger(item)) throw badRequest(`${name}[${i}] is not an integer`);
    });
    return value as number[];
  }

  stringList(name: string): string[] | undefined {
    const value = this.list(name);
    if (value === undefined) return undefined;
    value.forEach((item, i) => {
      if (typeof item !== 'string') throw badRequest(`${name}[${i}] is not a string`);
    });
    return value as string[];
  }

  list(name: string): unknown[] | undefined {
    const value = this.json(name);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw badRequest(`${name} is not a list`);
    return value as unknown[];
  }

  /** Marks a parameter as understood without interpreting it. */
  accept(...names: string[]): void {
    for (const name of names) if (this.values.has(name)) this.used.add(name);
  }

  /** Names sent but never read: Zulip reports them as ignored_parameters_unsupported (sorted). */
  ignored(): string[] {
    return [...this.values.keys()].filter((name) => !this.used.has(name)).sort();
  }

  /** A JSON-encoded parameter, parsed (400 when it is not JSON). */
  json(name: string): unknown {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw badRequest(`${name} is not valid JSON`);
    }
  }
}

export function missing(name: string): ApiError {
  return new ApiError(400, 'REQUEST_VARIABLE_MISSING', `Missing '${name}' argument`, { var_name: name });
}
