// Sorting 100,000 names with a locale-aware collator takes about a quarter of a second: too long
// for one block of the extension host. These sorts work on positions (numbers) with the caller's
// comparison, check the clock as they go and yield between slices. A list that is nearly in order
// already (the previous sorted order after a refresh, a cache saved sorted) costs about two
// comparisons per item instead of a full sort.
import type { Slicer } from '../zulip/slices';

/** Comparisons between two looks at the clock. */
const STEPS_PER_CHECK = 256;
/** Runs this short are sorted in one go before merging. */
const RUN_LENGTH = 64;
/** When more than this share of the items is out of place, a full sort is cheaper. */
const MISFIT_SHARE_FOR_FULL_SORT = 0.25;

export type Compare = (a: number, b: number) => number;

/** Merges sorted a and b into out (from index `at`), yielding when the slice is over. */
async function mergeInto(a: readonly number[], aFrom: number, aTo: number, b: readonly number[], bFrom: number, bTo: number, out: number[], at: number, compare: Compare, slicer?: Slicer): Promise<void> {
  let i = aFrom;
  let j = bFrom;
  let k = at;
  let steps = 0;
  while (i < aTo && j < bTo) {
    out[k++] = compare(a[i], b[j]) <= 0 ? a[i++] : b[j++];
    if (slicer && ++steps % STEPS_PER_CHECK === 0) await slicer.pause();
  }
  while (i < aTo) out[k++] = a[i++];
  while (j < bTo) out[k++] = b[j++];
}

/** A stable merge sort of positions, in slices. Returns a new array. */
export async function mergeSortInSlices(items: readonly number[], compare: Compare, slicer?: Slicer): Promise<number[]> {
  const n = items.length;
  let from = [...items];
  for (let start = 0; start < n; start += RUN_LENGTH) {
    const run = from.slice(start, start + RUN_LENGTH).sort(compare);
    for (let k = 0; k < run.length; k++) from[start + k] = run[k];
    await slicer?.pause();
  }
  let to: number[] = new Array<number>(n);
  for (let width = RUN_LENGTH; width < n; width *= 2) {
    for (let start = 0; start < n; start += 2 * width) {
      const mid = Math.min(start + width, n);
      const end = Math.min(start + 2 * width, n);
      await mergeInto(from, start, mid, from, mid, end, to, start, compare, slicer);
    }
    [from, to] = [to, from];
  }
  return from;
}

/**
 * Sorts positions that are probably nearly in order: keeps the longest run that is in order as
 * found, sorts what is out of place, and merges the two. Falls back to a full merge sort when much
 * is out of place. Stable for items in order; returns a new array.
 */
export async function sortNearlySorted(items: readonly number[], compare: Compare, slicer?: Slicer): Promise<number[]> {
  const n = items.length;
  const kept: number[] = [];
  const misfits: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = items[i];
    // Out of place: before something smaller, or after something larger that was kept.
    if ((kept.length > 0 && compare(kept[kept.length - 1], x) > 0) || (i + 1 < n && compare(x, items[i + 1]) > 0)) misfits.push(x);
    else kept.push(x);
    if (slicer && i % STEPS_PER_CHECK === 0) await slicer.pause();
    if (misfits.length > n * MISFIT_SHARE_FOR_FULL_SORT) return mergeSortInSlices(items, compare, slicer);
  }
  if (misfits.length === 0) return kept;
  const sortedMisfits = await mergeSortInSlices(misfits, compare, slicer);
  const out = new Array<number>(n);
  await mergeInto(kept, 0, kept.length, sortedMisfits, 0, sortedMisfits.length, out, 0, compare, slicer);
  return out;
}
