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

/** Anchored: tried at each @ (userMentions). */
const USER_MENTION = new RegExp(`${BEFORE}@(_?)\\*\\*([^*]+)\\*\\*`, 'uy');
const GROUP_MENTION = new RegExp(`${BEFORE}@(_?)\\*([^*]+)\\*`, 'gu');
/** The same, to ask whether there is one at all. */
const GROUP_MENTION_ANYWHERE = new RegExp(GROUP_MENTION.source, 'u');
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
  // Most mentions are a name alone: no expression to run, no object to merge.
  if (!text.includes('|')) return { kind: 'user', silent, start, end, text, name: text, id: undefined };
  const { name, id } = splitNameAndId(text);
  return { kind: 'user', silent, start, end, text, name, id };
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

/**
 * The same as parseInlineMentions, with every earlier match masked before each pattern runs (what
 * Zulip's placeholders do) instead of only where it can matter: the reference its shortcuts are
 * tested against.
 */
export function parseInlineMentionsMaskingAll(text: string): Mention[] {
  if (!text.includes('@')) return [];
  return scanMentions(text, true, true);
}

function scanMentions(source: string, markdown: boolean, maskAll = false): Mention[] {
  const mentions: Mention[] = [];
  let text = source;
  // Most code spans read to every later pattern as their placeholders would: masking them would
  // only copy the paragraph (see readsAsPlaceholder).
  const code = markdown && text.includes('`') ? codeSpans(text, !maskAll) : NO_SPANS;
  if (code.length) text = mask(text, code);
  const strong = markdown && text.includes('***') ? matchSpans(text, STRONG_EM) : NO_SPANS;
  if (strong.length) text = mask(text, strong);
  const users = userMentions(text, source, mentions);
  // A group mention holds no placeholder, so it is already there in this less masked text (the
  // character before its @ would have to be one, which no mention allows). Most paragraphs have
  // none: they are never masked again.
  if (!maskAll && !GROUP_MENTION_ANYWHERE.test(text)) return mentions;
  if (!maskAll && markdown && source.includes('`')) text = mask(mask(source, codeSpans(source)), strong);
  text = mask(text, users);
  if (markdown && text.includes('$$')) text = mask(text, matchSpans(text, TEX));
  if (markdown && text.includes('<time:')) text = mask(text, matchSpans(text, TIMESTAMP));
  matchSpans(text, GROUP_MENTION, (m, start, end) => {
    // A group "name" that swallowed another match (code, a user mention) can never name a real group.
    if (m[2].includes(PLACEHOLDER)) return;
    // The name is read from the source itself, as for user mentions.
    const name = source.slice(start + 2 + m[1].length, end - 1);
    mentions.push({ kind: 'group', silent: m[1] === '_', start, end, text: name, name });
  });
  return mentions.sort((a, b) => a.start - b.start);
}

const NO_SPANS: readonly number[] = Object.freeze([]);

/**
 * Characters that strong emphasis or a user mention (the patterns between inline code and group
 * mentions) reads differently from a placeholder. A code span without any of them reads the same
 * either way: it begins and ends with a backtick, which like the placeholder is neither
 * whitespace nor allowed before a mention (and an @ inside it starts no mention without a `*`
 * after it). Group mentions, TeX and timestamps are searched in the
 * text with every span masked.
 */
const NOT_LIKE_PLACEHOLDER = new Set(['*', '^', '\n'].map((c) => c.charCodeAt(0)));

function readsAsPlaceholder(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (NOT_LIKE_PLACEHOLDER.has(text.charCodeAt(i))) return false;
  return true;
}

/**
 * Python-Markdown's loop for one inline pattern: search again from where the last match ended,
 * in the text where that match is already a placeholder, so a lookbehind right at that point
 * sees the placeholder. Here every match ends in `*`, a backtick, `$`, `>` or a backslash, none
 * of which a mention's lookbehind allows either, so searching the unmasked text gives the same
 * matches (inline code has one exception, see codeSpans). Returns the matches as
 * [start, end, start, end, …]; `mask` hides them afterwards in one pass, so a long line with
 * many mentions costs linear time.
 */
function matchSpans(text: string, pattern: RegExp, onMatch?: (m: RegExpExecArray, start: number, end: number) => void): number[] {
  // The patterns are global and used by one caller at a time: reset instead of copying them.
  const regex = pattern;
  regex.lastIndex = 0;
  const spans: number[] = [];
  for (let m = regex.exec(text); m; m = regex.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    onMatch?.(m, start, end);
    spans.push(start, end);
  }
  return spans;
}

/**
 * USER_MENTION's matches, as matchSpans would give them (found left to right, so in order), tried
 * at each @ (where one must begin) without a match object each; the mentions go to `mentions`.
 * The name is read from the source itself: one that spans inline code keeps the code as written.
 */
function userMentions(text: string, source: string, mentions: Mention[]): number[] {
  const spans: number[] = [];
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at)) {
    USER_MENTION.lastIndex = at;
    if (!USER_MENTION.test(text)) {
      at++;
      continue;
    }
    const end = USER_MENTION.lastIndex;
    const silent = text.charCodeAt(at + 1) === UNDERSCORE_CODE;
    mentions.push(userOrWildcard(silent, at, end, source.slice(at + (silent ? 4 : 3), end - 2)));
    spans.push(at, end);
    at = end;
  }
  return spans;
}

const UNDERSCORE_CODE = 0x5f;

/**
 * BACKTICK's matches, as matchSpans would give them, tried only where one can begin (a backtick
 * or a backslash) and without building a match for each: a paragraph of Markdown may hold
 * thousands. After a pair of backslashes is masked, it no longer escapes the backtick right
 * after it, so a code span may start there at once. `unlikePlaceholderOnly`: leave out the spans
 * that read as their placeholders would (readsAsPlaceholder).
 */
export function codeSpans(text: string, unlikePlaceholderOnly = false): number[] {
  const spans: number[] = [];
  const add = (start: number, end: number) => {
    if (!unlikePlaceholderOnly || !readsAsPlaceholder(text, start, end)) spans.push(start, end);
  };
  CODE_START.lastIndex = 0;
  while (CODE_START.test(text)) {
    const start = CODE_START.lastIndex - 1;
    BACKTICK.lastIndex = start;
    if (!BACKTICK.test(text)) continue;
    let end = BACKTICK.lastIndex;
    add(start, end);
    if (text.charCodeAt(start) === BACKSLASH_CODE) {
      CODE_SPAN_AT.lastIndex = end;
      if (CODE_SPAN_AT.test(text)) {
        add(end, CODE_SPAN_AT.lastIndex);
        end = CODE_SPAN_AT.lastIndex;
      }
    }
    CODE_START.lastIndex = end;
  }
  return spans;
}

/** The text with the spans replaced by placeholders of the same length (offsets stay the text's). */
function mask(text: string, spans: readonly number[]): string {
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
const BACKTICK = /(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)(`+)([\s\S]+?)(?<!`)\2(?!`)/uy;
/** Where a BACKTICK match can begin. */
const CODE_START = /[`\\]/g;
const BACKSLASH_CODE = 0x5c;
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

/**
 * Moves a mention found in a longer text (a paragraph) to `line`, where it starts at `start`, and
 * reads its strings again from there: cut from the paragraph, they would keep all of it alive.
 */
export function moveMentionToLine(mention: Mention, line: string, start: number): void {
  const length = mention.end - mention.start;
  const opening = mention.start + 1 + (mention.silent ? 1 : 0) + (mention.kind === 'group' ? 1 : 2);
  const textStart = start + opening - mention.start;
  const text = line.slice(textStart, textStart + mention.text.length);
  mention.start = start;
  mention.end = start + length;
  if (mention.kind === 'user' && mention.name !== undefined) mention.name = mention.name === mention.text ? text : text.slice(0, mention.name.length);
  if (mention.kind === 'group') mention.name = text;
  mention.text = text;
}

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
