// What the reliability tests tried and how it went, one JSON line per trial, for RELIABILITY.md.
// Every suite (unit tests in Node, the integration suite inside VS Code's extension host, the
// end-to-end tests, the integration harness's secret scan) writes its own file under
// test-results/reliability/; report.ts turns them into the figures. Plain Node.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type OutcomeKind =
  /** A scripted server or network failure: ok = survived (one clear message, key kept, recovered). */
  | 'fault'
  /** A hostile input shown on a surface: ok = nothing executed and the text shown as text. */
  | 'hostile'
  /** A scan of what the extension wrote for secrets: ok = none found. */
  | 'secrets';

/** unit: the model layer in Node; integration: the extension in VS Code's extension host; e2e: rendered in the browser. */
export type Layer = 'unit' | 'integration' | 'e2e';

export interface Outcome {
  kind: OutcomeKind;
  /** The fault, the hostile input, or the scan. */
  name: string;
  layer: Layer;
  /** Hostile inputs: the surface they were shown on. */
  surface?: string;
  ok: boolean;
  /** Secrets: how many were looked for, and where. */
  secretsSearched?: number;
  filesScanned?: number;
  found?: number;
  /** Why it failed (never a secret). */
  detail?: string;
}

/**
 * test-results/reliability/, or beside the integration suite's results file (the extension host's
 * working directory is not the repository), or ZULIP_RELIABILITY_DIR.
 */
export function reliabilityDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ZULIP_RELIABILITY_DIR) return env.ZULIP_RELIABILITY_DIR;
  if (env.ZULIP_TEST_RESULTS) return path.join(path.dirname(path.dirname(env.ZULIP_TEST_RESULTS)), 'reliability');
  return path.resolve('test-results', 'reliability');
}

/**
 * Files this process has started over. On globalThis: the integration suite bundles each test
 * file on its own, and each bundle would otherwise start the shared file over again.
 */
function startedFiles(): Set<string> {
  const holder = globalThis as unknown as { __zulipReliabilityStarted?: Set<string> };
  return (holder.__zulipReliabilityStarted ??= new Set<string>());
}

/** Appends an outcome to `<source>.jsonl`; the first write of a process starts the file over. */
export function record(source: string, outcome: Outcome): void {
  const dir = reliabilityDir();
  const file = path.join(dir, `${source.replace(/[^\w.-]+/g, '-')}.jsonl`);
  fs.mkdirSync(dir, { recursive: true });
  const started = startedFiles();
  if (!started.has(file)) {
    started.add(file);
    fs.writeFileSync(file, '');
  }
  fs.appendFileSync(file, JSON.stringify(outcome) + '\n');
}

/**
 * Runs one trial and records whether it passed; the error goes on to fail the test. A trial that
 * throws is recorded as not survived (a fault) or executed (a hostile input).
 */
export async function trial<T>(source: string, outcome: Omit<Outcome, 'ok' | 'detail'>, body: () => Promise<T> | T): Promise<T> {
  try {
    const result = await body();
    record(source, { ...outcome, ok: true });
    return result;
  } catch (error) {
    record(source, { ...outcome, ok: false, detail: String(error instanceof Error ? error.message : error).split('\n')[0].slice(0, 300) });
    throw error;
  }
}
