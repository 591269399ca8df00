// The extension-host figures of a large organization (the no-long-tasks targets), measured by the
// integration suite inside VS Code's extension host and printed by the harness after the run. A
// figure, not a timed test: the suite asserts only that the work was sliced.

/** The suite that measures them (the harness starts the large organization only for it). */
export const EXTENSION_HOST_SUITE = 'The extension host at 100,000 members';
export const LARGE_MEMBERS = 100_000;
/** Written beside the suite's results. */
export const EXTENSION_HOST_FIGURES = 'extension-host-figures.json';

export interface BlockFigure {
  /** Wall time of the step. */
  ms: number;
  /** The longest time the event loop did not turn (monitorEventLoopDelay's max). */
  longestBlockMs: number;
  p99BlockMs: number;
  /** Times a 1 ms interval timer ran during the step: a step done in one block lets it run about once. */
  turns: number;
}

export interface ExtensionHostFigures {
  members: number;
  firstLoad?: BlockFigure;
  cacheRestart?: BlockFigure;
}

const row = (name: string, f: BlockFigure | undefined) =>
  f ? `  ${name}: ${Math.round(f.ms)} ms, longest event-loop block ${f.longestBlockMs.toFixed(1)} ms (p99 ${f.p99BlockMs.toFixed(1)} ms), ${f.turns} turns` : `  ${name}: not measured`;

export function extensionHostSummary(figures: ExtensionHostFigures): string {
  return [`Extension host at ${figures.members.toLocaleString('en-US')} members (targets: blocks ≤ 16 ms typical, never over 50 ms):`, row('first load (sign-in)', figures.firstLoad), row('restart from the disk cache', figures.cacheRestart)].join('\n');
}
