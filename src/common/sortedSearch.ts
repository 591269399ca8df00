// Binary search over ascending start offsets: which entry of a joined text holds an offset.
// No vscode import.

/** The index of the last start at or before `offset` (0 when `offset` precedes them all). */
export function entryAt(starts: ArrayLike<number>, offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}
