// Small statistics shared by the benchmark scripts.

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile (`p` from 0 to 100). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** "median x ms, p99 y ms (n runs)", for the scripts that print their samples. */
export function medianAndP99(samples: readonly number[]): string {
  return `median ${median(samples).toFixed(3)} ms, p99 ${percentile(samples, 99).toFixed(3)} ms (${samples.length} runs)`;
}
