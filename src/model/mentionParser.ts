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
 * Every mention in a line, in order. Zulip's Markdown processor runs its inline patterns by
 * priority, each on what the earlier ones left: inline code first (no mention inside `code`),
 * then `***strong emphasis***`, then user mentions, then TeX and timestamps, then group mentions
 * (zerver/lib/markdown, build_inlinepatterns). Each match becomes a placeholder that contains no
 * `*` and is not "allowed before" a mention; masking reproduces that. Block structure (code
 * blocks, quotes) is the document parser's (mentionDocument.ts).
 */
export function parseMentions(line: string): Mention[] {
  return parseInlineMentions(line);
}

/**
 * The mentions of one paragraph's text (its lines joined by `\n`, as Python-Markdown hands a
 * paragraph to the inline patterns): a code span or a mention may run across lines.
 */
export function parseInlineMentions(text: string): Mention[] {
  if (!text.includes('@')) return [];
  return scanMentions(text, true);
}

/**
 * Every piece of mention syntax in a line, wherever it stands (code spans and emphasis are not
 * Markdown in a source comment or a commit message). For documents that are not Markdown.
 */
export function findMentionSyntax(line: string): Mention[] {
  if (!line.includes('@')) return [];
  return scanMentions(line, false);
}

function scanMentions(source: string, markdown: boolean): Mention[] {
  const mentions: Mention[] = [];
  let text = source;
  if (markdown && text.includes('`')) text = applyPattern(text, BACKTICK);
  if (markdown && text.includes('***')) text = applyPattern(text, STRONG_EM);
  // The name is read from the source itself: one that spans inline code keeps the code as written.
  const inner = (m: RegExpExecArray, start: number, end: number, delimiter: number) => source.slice(start + 1 + m[1].length + delimiter, end - delimiter);
  text = applyPattern(text, USER_MENTION, (m, start, end) => void mentions.push(userOrWildcard(m[1] === '_', start, end, inner(m, start, end, 2))));
  mentions.sort((a, b) => a.start - b.start);
  // Group mentions need an @ before a *; the masks before them only matter then.
  if (!/@_?\*/.test(text)) return mentions;
  if (markdown && text.includes('$$')) text = applyPattern(text, TEX);
  if (markdown && text.includes('<time:')) text = applyPattern(text, TIMESTAMP);
  applyPattern(text, GROUP_MENTION, (m, start, end) => {
    // A group "name" that swallowed a user mention can never name a real group.
    if (!m[2].includes(PLACEHOLDER)) mentions.push({ kind: 'group', silent: m[1] === '_', start, end, text: inner(m, start, end, 1), name: inner(m, start, end, 1) });
  });
  return mentions.sort((a, b) => a.start - b.start);
}

/**
 * Python-Markdown's loop for one inline pattern: search again from where the last match ended,
 * in the text where that match is already a placeholder, so a lookbehind right at that point
 * sees the placeholder. Here every match ends in `*`, a backtick, `$`, `>` or a backslash, none
 * of which a mention's lookbehind allows either, so searching the unmasked text gives the same
 * matches with one exception: after a pair of backslashes, a code span may start at once (see
 * below). The matches are masked afterwards in one pass: placeholders keep the length, so
 * offsets stay the text's, and a long line with many mentions costs linear time.
 */
function applyPattern(text: string, pattern: RegExp, onMatch?: (m: RegExpExecArray, start: number, end: number) => void): string {
  // The patterns are global and used by one caller at a time: reset instead of copying them.
  const regex = pattern;
  regex.lastIndex = 0;
  const spans: number[] = [];
  for (let m = regex.exec(text); m; m = regex.exec(text)) {
    let match = m;
    if (pattern === BACKTICK && match[1] !== undefined) {
      // Masked, the backslash pair no longer escapes the backtick right after it.
      spans.push(match.index, match.index + match[0].length);
      CODE_SPAN_AT.lastIndex = regex.lastIndex;
      const code = CODE_SPAN_AT.exec(text);
      if (!code) continue;
      match = code;
      regex.lastIndex = CODE_SPAN_AT.lastIndex;
    }
    const start = match.index;
    const end = start + match[0].length;
    onMatch?.(match, start, end);
    spans.push(start, end);
  }
  if (spans.length === 0) return text;
  const parts: string[] = [];
  let last = 0;
  for (let i = 0; i < spans.length; i += 2) {
    parts.push(text.slice(last, spans[i]), PLACEHOLDER.repeat(spans[i + 1] - spans[i]));
    last = spans[i + 1];
  }
  parts.push(text.slice(last));
  return parts.join('');
}

/**
 * Python-Markdown's BACKTICK_RE: pairs of backslashes (which keep a following backtick
 * unescaped), or a code span between equal runs of backticks. Inline patterns are compiled with
 * re.DOTALL, so a code span may cross the lines of a paragraph.
 */
const BACKTICK = /(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)(`+)([\s\S]+?)(?<!`)\2(?!`)/gu;
/** The code-span half of BACKTICK, anchored, for right after a masked backslash pair. */
const CODE_SPAN_AT = /(`+)([\s\S]+?)(?<!`)\1(?!`)/uy;
/** Zulip's STRONG_EM_RE (`***text***`), which runs just before user mentions. */
const STRONG_EM = new RegExp(`(\\*\\*\\*)(?![${PYTHON_SPACE}]+)([^*^\\n]+)(?<![${PYTHON_SPACE}])\\*\\*\\*`, 'gu');
/** Zulip's TEX_RE (`$$x$$`), between user and group mentions: no group mention inside TeX. */
const TEX = /\B(?<!\$)\$\$([^\n_$](?:\\\$|[^$\n])*)\$\$(?!\$)\B/gu;
/** Zulip's TIMESTAMP_RE, also between user and group mentions. */
const TIMESTAMP = /<time:([^>]*?)>/gu;

/** Stands in for a user mention's text: not `*`, not whitespace, not an "allowed before" character. */
const PLACEHOLDER = '\u0003';

/** The mention that covers `offset` (the character under the pointer), if any. */
export function mentionAt(line: string, offset: number): Mention | undefined {
  if (offset < 0 || offset >= line.length) return undefined;
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

/** Whether Zulip reads `@**name**` back as this name: no `*`, no line break, not empty. */
export function isWritableName(name: string): boolean {
  return name !== '' && !name.includes('*') && !/[\r\n]/.test(name);
}

/** `@**Name|id**`, or `@**|id**` (which always works) when the name cannot be written. */
export function formatIdMention(name: string, id: number, silent = false): string {
  return formatUserMention(isWritableName(name) ? name : '', id, silent);
}

export function formatGroupMention(name: string, silent = false): string {
  return `@${silent ? '_' : ''}*${name}*`;
}
