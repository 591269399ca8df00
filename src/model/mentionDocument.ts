// The mentions of a whole document, as Zulip's server would read them if the document were sent
// as a message (kind 'markdown'), or wherever their syntax stands (kind 'plain': source comments,
// plain text, commit messages). Markdown needs what lines cannot see alone: fenced code blocks
// (zerver/lib/markdown/fenced_code.py), indented code blocks, `>` quotes and ```quote fences
// (whose mentions Zulip makes silent: BlockQuoteProcessor.clean), and paragraphs (a code span may
// cross lines). Each line carries the parser state at its start, so an edit recomputes from the
// changed line only until the state is the same as before.
// Pure: no vscode import.
import { entryAt } from '../common/sortedSearch';
import { findMentionSyntax, moveMentionToLine, parseInlineMentions, type Mention } from './mentionParser';

export type DocumentKind = 'markdown' | 'plain';

export interface DocumentOptions {
  /**
   * The organization's default language for fences without one (realm_default_code_block_language
   * from /register): "quote" makes bare ``` fences quotes, "math" makes them TeX.
   */
  defaultCodeBlockLanguage?: string;
}

/** How a document of this VS Code language is read: Markdown as Zulip's Markdown, anything else as plain text. */
export function documentKindOf(languageId: string): DocumentKind {
  return languageId === 'markdown' ? 'markdown' : 'plain';
}

/** How documents are read for the default organization (undefined: none signed in). */
export function documentOptionsFor(defaultOrg: { defaultCodeBlockLanguage: string } | undefined): DocumentOptions {
  return { defaultCodeBlockLanguage: defaultOrg?.defaultCodeBlockLanguage ?? '' };
}

/** A mention with its place in the document. */
export interface DocumentMention {
  mention: Mention;
  /** Where it starts and ends (lines and UTF-16 columns, end exclusive; usually the same line). */
  line: number;
  start: number;
  endLine: number;
  end: number;
  /** Inside a `>` quote or a ```quote fence: Zulip renders it silent, whatever its syntax. */
  quoted: boolean;
  /**
   * In a document that is not Markdown: what Zulip would do with this text as a message, when
   * that differs ('quoted': silent; 'code': inside code, so not a mention at all).
   */
  asMarkdown?: 'quoted' | 'code';
}

/** What a line is, for Zulip's Markdown. */
export type LineRole = 'blank' | 'fence' | 'code' | 'text';

export type FenceKind = 'code' | 'math' | 'quote' | 'spoiler';

interface FenceFrame {
  fence: string;
  kind: FenceKind;
}

type BlockMode = 'none' | 'paragraph' | 'code' | 'quote' | 'list' | 'listQuote';

/** The parser's state at the start of a line. Immutable; compared by `key`. */
interface LineState {
  readonly fences: readonly FenceFrame[];
  readonly mode: BlockMode;
  /** The last block was a list: an indented block continues it instead of being code. */
  readonly afterList: boolean;
  /** Inside a quote: whether the quote's own content is at a block start, in a paragraph, or in code. */
  readonly inner: 'none' | 'paragraph' | 'code';
  readonly key: string;
}

interface LineInfo {
  role: LineRole;
  quoted: boolean;
  /** This line begins a new paragraph (inline text) rather than continuing the one above. */
  startsRun: boolean;
  /** Where the inline text of the line begins and ends (after `>`, list markers, `#`). */
  contentStart: number;
  /** Undefined: the end of the line. */
  contentEnd?: number;
}

/** Fence stacks are shared by every line between two fences: their keys are computed once. */
const fenceKeys = new WeakMap<readonly FenceFrame[], string>();
/** States are interned: most lines share one of a handful. */
const interned = new Map<string, LineState>();
const MAX_INTERNED = 10_000;
const MODES: readonly BlockMode[] = ['none', 'paragraph', 'code', 'quote', 'list', 'listQuote'];
const INNERS: readonly LineState['inner'][] = ['none', 'paragraph', 'code'];
/**
 * Each fence stack's states by (mode, afterList, inner) as a small number: a line's next state is
 * found without building its key string (the parser asks once per line).
 */
const statesOfFences = new WeakMap<readonly FenceFrame[], LineState[]>();
const INITIAL: LineState = makeState([], 'none', false, 'none');

function makeState(fences: readonly FenceFrame[], mode: BlockMode, afterList: boolean, inner: LineState['inner']): LineState {
  const slot = (MODES.indexOf(mode) * 2 + (afterList ? 1 : 0)) * INNERS.length + INNERS.indexOf(inner);
  let states = statesOfFences.get(fences);
  const known = states?.[slot];
  if (known) return known;
  let fenceKey = fenceKeys.get(fences);
  if (fenceKey === undefined) fenceKeys.set(fences, (fenceKey = fences.map((f) => f.kind[0] + f.fence).join(',')));
  const key = `${fenceKey}|${mode}|${afterList ? 1 : 0}|${inner}`;
  let state = interned.get(key);
  if (!state || state.fences !== fences) {
    state = { fences, mode, afterList, inner, key };
    if (interned.size > MAX_INTERNED) interned.clear();
    interned.set(key, state);
  }
  if (!states) statesOfFences.set(fences, (states = []));
  states[slot] = state;
  return state;
}

/** The infos of lines whose inline text is the whole line, shared: a document has thousands. */
const ROLES: readonly LineRole[] = ['blank', 'fence', 'code', 'text'];
const WHOLE_LINE_INFOS: readonly LineInfo[] = ROLES.flatMap((role) =>
  [false, true].flatMap((quoted) => [false, true].map((startsRun) => Object.freeze({ role, quoted, startsRun, contentStart: 0 }))),
);

function lineInfo(line: string, role: LineRole, quoted = false, startsRun = false, contentStart = 0, contentEnd?: number): LineInfo {
  if (contentStart !== 0 || (contentEnd !== undefined && contentEnd !== line.length)) return { role, quoted, startsRun, contentStart, contentEnd };
  return WHOLE_LINE_INFOS[ROLES.indexOf(role) * 4 + (quoted ? 2 : 0) + (startsRun ? 1 : 0)];
}

const contentEndOf = (info: LineInfo, line: string) => info.contentEnd ?? line.length;



const BACKTICK_CODE = 0x60;
const TILDE_CODE = 0x7e;
/** FENCE_RE's language: `quote`, `{.quote}`, `python3`. */
const FENCE_LANGUAGE = String.raw`\{?\.?([a-zA-Z0-9_+,\-./#]+)`;
/** Zulip's FENCE_RE: at column 0, ``` or ~~~ (3 or more), an optional language and header. */
const FENCE = new RegExp(String.raw`^(~{3,}|\`{3,})[ ]*(?:${FENCE_LANGUAGE}[ ]*(?:[^ ~\`][^~\`]*)?\}?)?$`);
const INFO_LANGUAGE = new RegExp(`^${FENCE_LANGUAGE}`);
/** Python-Markdown's (Zulip's) code blocks are indented by the tab length, 4. */
const CODE_INDENT = 4;
/** Zulip's lists continue with 2-space indentation (ListIndentProcessor with tab_length 2). */
const LIST_INDENT = 2;
/** Tabs expand to this many columns (NormalizeWhitespace). */
const TAB_WIDTH = 4;
/** BlockQuoteProcessor: up to 3 spaces, `>`, an optional space. */
const QUOTE_PREFIX = /[ ]{0,3}>[ ]?/y;
/** Zulip's UListProcessor and OListProcessor with tab_length 2: at most 1 space before the marker. */
const LIST_ITEM = /^[ ]?(?:[*+-]|\d+\.)[ ]+/;
/** HashHeaderProcessor (Zulip's requires a space after the #s). */
const HEADER = /^#{1,6}\s/;

/** The width of the indentation at `from` (the iterator of `for…of` would build objects for every line). */
function indentWidth(line: string, from = 0): number {
  let width = 0;
  for (let i = from; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === SPACE_CODE) width++;
    else if (code === TAB_CODE) width += TAB_WIDTH - (width % TAB_WIDTH);
    else break;
  }
  return width;
}

const SPACE_CODE = 0x20;
const TAB_CODE = 0x09;

const BLANK_FROM = /\s*$/y;
/** Whether the line is blank from `from` on, without trim() or slice(): no new string for each of a document's lines. */
function isBlank(line: string, from = 0): boolean {
  BLANK_FROM.lastIndex = from;
  return BLANK_FROM.test(line);
}

/** The length of a `>` prefix at `from`, 0 for none. */
function quotePrefixAt(line: string, from = 0): number {
  QUOTE_PREFIX.lastIndex = from;
  return QUOTE_PREFIX.test(line) ? QUOTE_PREFIX.lastIndex - from : 0;
}

/** The result of step, filled in again for every line: read at once by its only caller. */
const STEP: { info: LineInfo; next: LineState } = { info: WHOLE_LINE_INFOS[0], next: INITIAL };

function stepped(info: LineInfo, next: LineState): { info: LineInfo; next: LineState } {
  STEP.info = info;
  STEP.next = next;
  return STEP;
}

/** What a fence is in Zulip by what follows its ``` (`quote`, `{.quote}`, `spoiler Header`, nothing). */
export function fenceInfoKind(info: string, options: DocumentOptions): FenceKind {
  return fenceKind(INFO_LANGUAGE.exec(info.trim())?.[1], options);
}

/** What a fence with this language is in Zulip; a bare one takes the organization's default. */
function fenceKind(lang: string | undefined, options: DocumentOptions): FenceKind {
  const language = (lang || options.defaultCodeBlockLanguage || '').toLowerCase();
  if (language === 'quote' || language === 'quoted') return 'quote';
  if (language === 'math') return 'math';
  if (language === 'spoiler') return 'spoiler';
  return 'code';
}

/** One line: what it is, and the state at the start of the next. */
function step(line: string, state: LineState, options: DocumentOptions): { info: LineInfo; next: LineState } {
  const { fences } = state;
  const top = fences[fences.length - 1];
  const reset = resetState;

  // Fences first (a preprocessor in Zulip): inside code, only the same fence closes.
  if (top && (top.kind === 'code' || top.kind === 'math')) {
    if (line.trimEnd() === top.fence) return stepped(lineInfo(line, 'fence'), reset(fences.slice(0, -1)));
    return stepped(lineInfo(line, 'code'), state);
  }
  if (top && line.trimEnd() === top.fence) return stepped(lineInfo(line, 'fence'), reset(fences.slice(0, -1)));
  // Only a line starting with ` or ~ can open a fence: most lines skip the expression.
  const first = line.charCodeAt(0);
  const fence = first === BACKTICK_CODE || first === TILDE_CODE ? FENCE.exec(line) : null;
  if (fence) return stepped(lineInfo(line, 'fence'), reset([...fences, { fence: fence[1], kind: fenceKind(fence[2], options) }]));

  // A quote fence's lines become `> ` lines: a quote whose content is this line.
  if (inQuoteFence(fences)) return quotedContent(line, 0, state);

  if (isBlank(line)) return stepped(lineInfo(line, 'blank'), makeState(fences, 'none', state.afterList, 'none'));
  const indent = indentWidth(line);
  let mode = state.mode;

  if (mode === 'code') {
    if (indent >= CODE_INDENT) return stepped(lineInfo(line, 'code'), state);
    mode = 'none'; // the rest of the block is a block of its own
  }
  if (mode === 'quote' || mode === 'listQuote') {
    if (mode === 'listQuote' && LIST_ITEM.test(line)) return listItem(line, state);
    // Lazy continuation: every line up to the end of the block is in the quote.
    return quotedContent(line, quotePrefixAt(line), state, mode);
  }
  if (mode === 'none') {
    if (indent >= CODE_INDENT && !state.afterList) return stepped(lineInfo(line, 'code'), makeState(fences, 'code', false, 'none'));
    if (indent >= LIST_INDENT && state.afterList) return stepped(lineInfo(line, 'text', false, true), makeState(fences, 'list', true, 'none'));
  }
  if (mode === 'list' && !LIST_ITEM.test(line)) {
    // An item's text is parsed as blocks of its own: a `>` line starts a quote in the item.
    if (quotePrefixAt(line) > 0) return quotedContent(line, quotePrefixAt(line), makeState(fences, 'listQuote', true, 'none'), 'listQuote');
    return stepped(lineInfo(line, 'text'), state);
  }
  if (quotePrefixAt(line) > 0 && !onlyEmptyQuote(line)) {
    return quotedContent(line, quotePrefixAt(line), makeState(fences, 'quote', false, 'none'), 'quote');
  }
  // A list item right after a paragraph line starts a list (MarkdownListPreprocessor adds a blank line).
  if (LIST_ITEM.test(line)) return listItem(line, state);
  if (HEADER.test(line)) {
    const start = /^#{1,6}\s+/.exec(line)![0].length;
    const end = line.replace(/#*\s*$/, '').length;
    // What follows a header in the same block is a block of its own.
    return stepped(lineInfo(line, 'text', false, true, start, Math.max(start, end)), makeState(fences, 'none', false, 'none'));
  }
  // Leading spaces before an @ change nothing (whitespace is allowed before a mention).
  return stepped(lineInfo(line, 'text', false, mode !== 'paragraph'), makeState(fences, 'paragraph', false, 'none'));
}

function inQuoteFence(fences: readonly FenceFrame[]): boolean {
  for (const f of fences) if (f.kind === 'quote') return true;
  return false;
}

function resetState(fences: readonly FenceFrame[]): LineState {
  return makeState(fences, 'none', false, 'none');
}

/** BlockQuoteProcessor's lookahead: a block of nothing but empty `>` lines is not a quote. */
function onlyEmptyQuote(line: string): boolean {
  return /^[ ]{0,3}>\s*$/.test(line);
}

function listItem(line: string, state: LineState) {
  const marker = LIST_ITEM.exec(line)![0].length;
  const quote = quotePrefixAt(line, marker);
  if (quote > 0) {
    const inner = marker + quote;
    return stepped(lineInfo(line, 'text', true, true, inner), makeState(state.fences, 'listQuote', true, 'paragraph'));
  }
  return stepped(lineInfo(line, 'text', false, true, marker), makeState(state.fences, 'list', true, 'none'));
}

/**
 * A line of a quote's content (after its `>` prefix, if any): silent, and itself Markdown, so
 * an indented block inside the quote is code and a blank `>` line ends a paragraph.
 */
function quotedContent(
  line: string,
  prefix: number,
  state: LineState,
  mode: BlockMode = state.mode,
): { info: LineInfo; next: LineState } {
  let start = prefix;
  // Nested quotes are quotes too: strip every level.
  for (let length = quotePrefixAt(line, start); length > 0; length = quotePrefixAt(line, start)) start += length;
  const fences = state.fences;
  if (isBlank(line, start)) return stepped(lineInfo(line, 'blank', true), makeState(fences, mode, state.afterList, 'none'));
  const indent = indentWidth(line, start);
  if ((state.inner === 'none' || state.inner === 'code') && indent >= CODE_INDENT) return stepped(lineInfo(line, 'code', true), makeState(fences, mode, state.afterList, 'code'));
  const startsRun = state.inner !== 'paragraph';
  return stepped(lineInfo(line, 'text', true, startsRun, start), makeState(fences, mode, state.afterList, 'paragraph'));
}

/** A document's lines with their parser states, kept current by edits. */
export class MentionDocument {
  private lines: string[] = [];
  /** states[i] is the state at the start of line i; states[lines.length] the state at the end. */
  private states: LineState[] = [INITIAL];
  private infos: LineInfo[] = [];
  /** The mentions that start on each line. */
  private lineMentions: DocumentMention[][] = [];
  /** Most lines mention nobody: they share this one empty list, never written to. */
  private static readonly NONE: DocumentMention[] = Object.freeze([]) as unknown as DocumentMention[];

  constructor(
    readonly kind: DocumentKind,
    text: string | readonly string[] = '',
    private readonly options: DocumentOptions = {},
  ) {
    this.replaceAll(typeof text === 'string' ? splitLines(text) : text);
  }

  get lineCount(): number {
    return this.lines.length;
  }

  replaceAll(lines: readonly string[]): void {
    this.lines = [...lines];
    // Sized once: growing them line by line copied each several times.
    this.states = new Array<LineState>(lines.length + 1);
    this.states[0] = INITIAL;
    this.infos = new Array<LineInfo>(lines.length);
    this.lineMentions = new Array<DocumentMention[]>(lines.length);
    this.recomputeStates(0, Infinity);
    this.reparse(0, this.lines.length);
  }

  /**
   * Replaces `deleteCount` lines from `startLine` with `insert`. Returns the range of lines (in
   * the new numbering, end exclusive) whose mentions were parsed again.
   */
  edit(startLine: number, deleteCount: number, insert: readonly string[]): { from: number; to: number } {
    const oldStates = this.states;
    this.lines.splice(startLine, deleteCount, ...insert);
    this.infos.splice(startLine, deleteCount, ...insert.map(() => undefined as unknown as LineInfo));
    this.lineMentions.splice(startLine, deleteCount, ...insert.map(() => MentionDocument.NONE));
    // States after the edit keep their old values until recomputed; they are compared to stop early.
    const shifted = [...oldStates.slice(0, startLine + 1), ...insert.map(() => INITIAL), ...oldStates.slice(startLine + deleteCount + 1)];
    this.states = shifted;
    const stable = startLine + insert.length;
    const changedTo = this.recomputeStates(startLine, stable);
    const from = this.runStart(startLine);
    const to = this.runEnd(Math.max(changedTo, stable) - 1);
    this.reparse(from, to);
    const delta = insert.length - deleteCount;
    if (delta !== 0) {
      // Lines after the edit moved: their mentions say so (new objects; old ones may be held elsewhere).
      for (let i = to; i < this.lines.length; i++) {
        const list = this.lineMentions[i];
        if (list.length) this.lineMentions[i] = list.map((m) => ({ ...m, line: i, endLine: m.endLine - m.line + i }));
      }
    }
    return { from, to };
  }

  /** Mentions starting on `line`. */
  mentionsOn(line: number): readonly DocumentMention[] {
    return this.lineMentions[line] ?? [];
  }

  all(): DocumentMention[] {
    return this.lineMentions.flat();
  }

  /**
   * The mention under a position (the character at `column`), with its document facts (quoted,
   * what Markdown would make of it): what a hover card needs beyond the line.
   */
  mentionAt(line: number, column: number): DocumentMention | undefined {
    for (let i = line; i >= 0; i--) {
      for (const m of this.lineMentions[i] ?? []) {
        const afterStart = i < line || m.start <= column;
        const beforeEnd = m.endLine > line || (m.endLine === line && column < m.end);
        if (afterStart && beforeEnd) return m;
      }
      // A mention spanning lines starts in the same paragraph; stop at its start.
      if (i < line && this.infos[i]?.role !== 'text') break;
      if (this.infos[i]?.startsRun) break;
    }
    return undefined;
  }

  roleOf(line: number): LineRole {
    return this.infos[line].role;
  }

  /**
   * Recomputes line states from `from`; past `stableAfter`, stops at the first line whose state
   * came out as it was. Returns the first line not recomputed.
   */
  private recomputeStates(from: number, stableAfter: number): number {
    let state = this.states[from] ?? INITIAL;
    for (let i = from; i < this.lines.length; i++) {
      const { info, next } = step(this.lines[i], state, this.options);
      const infoChanged = !sameInfo(this.infos[i], info);
      this.infos[i] = info;
      const old = this.states[i + 1];
      this.states[i + 1] = next;
      state = next;
      if (i + 1 >= stableAfter && old && old.key === next.key && !infoChanged) return i + 1;
    }
    this.states.length = this.lines.length + 1;
    return this.lines.length;
  }

  private runStart(line: number): number {
    // One line further back: an edit that ends a paragraph may cut a code span that crossed it.
    let i = Math.min(line - 1, this.lines.length - 1);
    while (i > 0 && this.infos[i]?.role === 'text' && !this.infos[i].startsRun) i--;
    return Math.max(0, i);
  }

  private runEnd(line: number): number {
    let i = Math.max(line, 0) + 1;
    while (i < this.lines.length && this.infos[i].role === 'text' && !this.infos[i].startsRun) i++;
    return Math.min(i, this.lines.length);
  }

  /** Parses the mentions of lines [from, to), which must start and end at paragraph boundaries. */
  private reparse(from: number, to: number): void {
    for (let i = from; i < to; i++) this.lineMentions[i] = MentionDocument.NONE;
    const markdown = new Map<string, DocumentMention>();
    for (let i = from; i < to; ) {
      if (this.infos[i].role !== 'text') {
        i++;
        continue;
      }
      let end = i + 1;
      while (end < to && this.infos[end].role === 'text' && !this.infos[end].startsRun && this.infos[end].quoted === this.infos[i].quoted) end++;
      for (const m of this.paragraphMentions(i, end)) {
        if (this.kind === 'markdown') {
          const list = this.lineMentions[m.line];
          if (list === MentionDocument.NONE) this.lineMentions[m.line] = [m];
          else list.push(m);
        }
        else markdown.set(`${m.line}:${m.start}`, m);
      }
      i = end;
    }
    if (this.kind === 'plain') for (let i = from; i < to; i++) this.lineMentions[i] = this.plainMentions(i, markdown);
  }

  /** The mentions of one paragraph, lines [from, to), joined by \n as Zulip's inline patterns see them. */
  private paragraphMentions(from: number, to: number): DocumentMention[] {
    // Most paragraphs mention nobody: looked at in place before any text is copied.
    let any = false;
    for (let i = from; i < to && !any; i++) {
      const at = this.lines[i].indexOf('@', this.infos[i].contentStart);
      any = at >= 0 && at < contentEndOf(this.infos[i], this.lines[i]);
    }
    if (!any) return [];
    const starts: number[] = [];
    const parts: string[] = [];
    let length = 0;
    for (let i = from; i < to; i++) {
      const info = this.infos[i];
      const part = this.lines[i].slice(info.contentStart, contentEndOf(info, this.lines[i]));
      starts.push(length);
      parts.push(part);
      length += part.length + 1;
    }
    const text = parts.join('\n');
    if (!text.includes('@')) return [];
    const quoted = this.infos[from].quoted;
    const mentions = parseInlineMentions(text);
    const found: DocumentMention[] = [];
    for (const mention of mentions) {
      // Paragraph offsets to lines and columns. The mention is this parse's own: it moves to the
      // line it starts on (an end on a later line counts on from its start there).
      const k = entryAt(starts, mention.start);
      const line = from + k;
      const start = this.infos[line].contentStart + mention.start - starts[k];
      const endK = entryAt(starts, mention.end - 1);
      const end = this.infos[from + endK].contentStart + mention.end - 1 - starts[endK] + 1;
      if (endK === k) moveMentionToLine(mention, this.lines[line], start);
      else {
        // Across lines: its text holds the line break, so it stays the paragraph's.
        mention.end = start + mention.end - mention.start;
        mention.start = start;
      }
      found.push({ mention, line, start, endLine: from + endK, end, quoted });
    }
    return found;
  }

  /** A plain document: syntax anywhere on the line, with what Zulip's Markdown would make of it. */
  private plainMentions(line: number, markdown: ReadonlyMap<string, DocumentMention>): DocumentMention[] {
    return findMentionSyntax(this.lines[line]).map((mention) => {
      const md = markdown.get(`${line}:${mention.start}`);
      const note: DocumentMention['asMarkdown'] = !md || md.mention.end !== mention.end ? 'code' : md.quoted ? 'quoted' : undefined;
      return { mention, line, start: mention.start, endLine: line, end: mention.end, quoted: false, ...(note ? { asMarkdown: note } : {}) };
    });
  }
}

function sameInfo(a: LineInfo | undefined, b: LineInfo): boolean {
  return !!a && a.role === b.role && a.quoted === b.quoted && a.startsRun === b.startsRun && a.contentStart === b.contentStart && a.contentEnd === b.contentEnd;
}

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Every mention of a text, at once. */
export function parseDocument(text: string, kind: DocumentKind, options: DocumentOptions = {}): DocumentMention[] {
  return new MentionDocument(kind, text, options).all();
}
