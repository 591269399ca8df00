// Server text on one-line plain surfaces (tree rows, quick pick items, descriptions): one line,
// and cut to fit. No vscode import.

/** Line breaks, tabs and bidi or zero-width controls would break a one-line surface. */
export function oneLine(text: string): string {
  return text.replace(/[\s\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
}

/** Text cut to `max` characters (code points) with an ellipsis, for narrow surfaces. */
export function cutText(value: string, max: number): string {
  const chars = [...value];
  return chars.length <= max ? value : chars.slice(0, Math.max(0, max - 1)).join('').trimEnd() + '…';
}
