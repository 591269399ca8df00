// Zulip's @-mention syntax, exactly as the server reads it (zerver/lib/mention.py), for one line
// of text at a time: hovers and completion only ever need the line under the cursor.
// Pure: no vscode import, tested directly.

/**
 * Python's `\s` for text (str.isspace), which is what Zulip's lookbehind uses. It differs from
 * JavaScript's `\s`: it includes U+001C..U+001F and U+0085 and excludes U+FEFF.
 */
const PYTHON_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** BEFORE_MENTION_ALLOWED_REGEX: an @ at the start, or after whitespace or one of ' " ( { [ / <. */
const BEFORE = `(?<![^${PYTHON_SPACE}'"({\\[/<])`;

const USER_MENTION = new RegExp(`${BEFORE}@(_?)\\*\\*([^*]+)\\*\\*`, 'gu');
const GROUP_MENTION = new RegExp(`${BEFORE}@(_?)\\*([^*]+)\\*`, 'gu');
/** Python's `(?P<full_name>.+)?\|(?P<mention_id>\d+)$`: `.` is anything but \n, `\d` any Unicode digit. */
const NAME_AND_ID = /^([^\n]+)?\|(\p{Nd}+)$/u;
/** Completion: an unfinished `@**…` or `@_**…` that ends at the cursor. */
const MENTION_PREFIX = new RegExp(`${BEFORE}@(_?)\\*\\*([^*]*)$`, 'u');

/** Zulip's stream_wildcards and topic_wildcards; matched exactly (case-sensitive). */
export const CHANNEL_WILDCARDS = ['all', 'everyone', 'channel', 'stream'] as const;
export const TOPIC_WILDCARDS = ['topic'] as const;
export type Wildcard = (typeof CHANNEL_WILDCARDS)[number] | (typeof TOPIC_WILDCARDS)[number];

interface MentionBase {
  /** `@_**…**` / `@_*…*`: shows the name without notifying. */
  silent: boolean;
  /** Offsets in the line (UTF-16 code units, as VS Code positions): `start` is the @, `end` is exclusive. */
  start: number;
  end: number;
  /** What stands between the delimiters. */
  text: string;
}

export interface UserMention extends MentionBase {
  kind: 'user';
  /** The name part; undefined for `@**|12**`. */
  name?: string;
  /** The id of the `|id` form; when present, it decides. */
  id?: number;
}

export interface WildcardMention extends MentionBase {
  kind: 'wildcard';
  wildcard: Wildcard;
  /** Whom it notifies: everyone in the channel, or everyone who took part in the topic. */
  scope: 'channel' | 'topic';
}

export interface GroupMention extends MentionBase {
  kind: 'group';
  name: string;
}

export type Mention = UserMention | WildcardMention | GroupMention;

/** Splits the text of a user mention into name and id, as Zulip's name|id rule does. */
export function splitNameAndId(text: string): { name?: string; id?: number } {
  const match = NAME_AND_ID.exec(text);
  if (!match) return { name: text };
  return { name: match[1] || undefined, id: unicodeDigitsToNumber(match[2]) };
}

/**
 * Python's int() of a run of Unicode decimal digits. Every Unicode digit block is a contiguous
 * run of whole sets of ten starting at a zero, so a digit's value is its distance from the start
 * of its block, modulo 10.
 */
function unicodeDigitsToNumber(digits: string): number {
  if (/^[0-9]+$/.test(digits)) return Number(digits);
  let value = 0;
  for (const char of digits) {
    const code = char.codePointAt(0)!;
    let first = code;
    while (first > 0 && /\p{Nd}/u.test(String.fromCodePoint(first - 1))) first--;
    value = value * 10 + ((code - first) % 10);
  }
  return value;
}

function userOrWildcard(silent: boolean, start: number, end: number, text: string): UserMention | WildcardMention {
  if ((CHANNEL_WILDCARDS as readonly string[]).includes(text)) {
    return { kind: 'wildcard', silent, start, end, text, wildcard: text as Wildcard, scope: 'channel' };
  }
  if ((TOPIC_WILDCARDS as readonly string[]).includes(text)) {
    return { kind: 'wildcard', silent, start, end, text, wildcard: text as Wildcard, scope: 'topic' };
  }
  return { kind: 'user', silent, start, end, text, ...splitNameAndId(text) };
}

/**
 * Every mention in a line, in order. User mentions are found first and then hidden from the
 * group pattern, as Zulip's Markdown processor does (the user pattern has the higher priority and
 * replaces its matches with placeholders that contain no `*` and are not "allowed before").
 */
export function parseMentions(line: string): Mention[] {
  const mentions: Mention[] = [];
  const userSpans: Array<[number, number]> = [];
  for (const m of line.matchAll(USER_MENTION)) {
    const start = m.index!;
    const end = start + m[0].length;
    mentions.push(userOrWildcard(m[1] === '_', start, end, m[2]));
    userSpans.push([start, end]);
  }
  if (line.includes('@')) {
    const masked = maskSpans(line, userSpans);
    for (const m of masked.matchAll(GROUP_MENTION)) {
      const start = m.index!;
      const end = start + m[0].length;
      // A group "name" that swallowed a user mention can never name a real group.
      if (m[2].includes(PLACEHOLDER)) continue;
      mentions.push({ kind: 'group', silent: m[1] === '_', start, end, text: m[2], name: m[2] });
    }
  }
  return mentions.sort((a, b) => a.start - b.start);
}

/** Stands in for a user mention's text: not `*`, not whitespace, not an "allowed before" character. */
const PLACEHOLDER = '\u0003';

function maskSpans(line: string, spans: ReadonlyArray<[number, number]>): string {
  if (spans.length === 0) return line;
  let masked = '';
  let last = 0;
  for (const [start, end] of spans) {
    masked += line.slice(last, start) + PLACEHOLDER.repeat(end - start);
    last = end;
  }
  return masked + line.slice(last);
}

/** The mention that covers `offset` (the character under the pointer), if any. */
export function mentionAt(line: string, offset: number): Mention | undefined {
  if (offset < 0 || offset >= line.length) return undefined;
  // Most lines hold no mention at all: skip the regex work for them.
  if (!line.includes('@')) return undefined;
  return parseMentions(line).find((m) => m.start <= offset && offset < m.end);
}

export interface MentionPrefix {
  /** Offset of the @. */
  start: number;
  silent: boolean;
  /** What was typed after `@**` up to the cursor. */
  query: string;
}

/** An unfinished `@**…` (or `@_**…`) ending at `cursor`, for completion. */
export function mentionPrefixAt(line: string, cursor: number): MentionPrefix | undefined {
  const before = line.slice(0, Math.max(0, Math.min(cursor, line.length)));
  // What was typed holds no `*`, so the `@**` must end at the last `*` before the cursor; the
  // regex then needs only that and one more character for the lookbehind.
  const lastStar = before.lastIndexOf('*');
  if (lastStar < 2) return undefined;
  const from = Math.max(0, lastStar - 4);
  const match = MENTION_PREFIX.exec(before.slice(from));
  if (!match) return undefined;
  return { start: from + match.index, silent: match[1] === '_', query: match[2] };
}

/** `@**name|id**` (or silent), the form that always means exactly one member. */
export function formatUserMention(name: string, id: number | undefined, silent = false): string {
  return `@${silent ? '_' : ''}**${name}${id === undefined ? '' : `|${id}`}**`;
}

export function formatGroupMention(name: string, silent = false): string {
  return `@${silent ? '_' : ''}*${name}*`;
}
