// Diagnostics for the mentions of a document: what would surprise someone sending it to Zulip
// (an unknown name shown as bold text, a name shared by several members, an |id naming someone
// else, a deactivated member or group, a quote that silences, a group they may not mention).
// Computed per line and kept per line, so an edit re-diagnoses only the lines it re-parsed, and
// a member change re-resolves every mention without parsing again.
// Pure: no vscode import. Messages quote server data through safeName (no control characters,
// no line breaks, bounded length); they are plain text for VS Code's Problems view.
import * as l10n from '@vscode/l10n';
import type { User, UserGroup } from '../zulip/types';
import type { DocumentMention, MentionDocument } from './mentionDocument';
import { formatGroupMention } from './mentionParser';
import { resolveMention, ruleOrganization, type MentionOrganization, type MentionResolution } from './mentionResolver';
import { mentionOutcome, type MentionOutcome } from './mentionRules';

export type MentionDiagnosticCode =
  | 'unknownName'
  | 'unknownId'
  | 'idNameMismatch'
  | 'ambiguous'
  | 'deactivatedMember'
  | 'deactivatedGroup'
  | 'quoted'
  | 'groupRefused'
  | 'groupCase'
  | 'unknownGroup'
  | 'wildcardNamesMember';

export type Severity = 'error' | 'warning' | 'information';

export interface MentionDiagnostic {
  code: MentionDiagnosticCode;
  severity: Severity;
  message: string;
  found: DocumentMention;
  resolution: MentionResolution;
  outcome: MentionOutcome;
}

export interface DiagnosticsContext<O extends MentionOrganization = MentionOrganization> {
  /** Default organization first. */
  orgs: readonly O[];
  groupsOf?: (org: O) => readonly UserGroup[] | undefined;
  selfUserIdOf?: (org: O) => number | undefined;
  /** The server's own bots (see ResolveOptions.crossRealmBotsOf). */
  crossRealmBotsOf?: (org: O, needed: boolean) => readonly User[] | undefined;
}

/** Longest name quoted in a message. */
const MAX_NAME = 80;

const SPACE_CODE = 0x20;

/**
 * Whether safeName would change the text: a character isDistorting names, or whitespace that is
 * not one space between words. One pass over the characters, no expression: every diagnostic
 * quotes a name.
 */
function needsCleaning(text: string): boolean {
  const last = text.length - 1;
  for (let i = 0; i <= last; i++) {
    const code = text.charCodeAt(i);
    if (code === SPACE_CODE) {
      if (i === 0 || i === last || text.charCodeAt(i + 1) === SPACE_CODE) return true;
    } else if (code < 0x7f ? code < SPACE_CODE : isDistortingOrOtherSpace(code)) return true;
  }
  return false;
}

/** isDistorting, or JavaScript's \s other than the space (which it folds into one space). */
function isDistortingOrOtherSpace(code: number): boolean {
  return (
    code <= 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x2028 && code <= 0x202f) ||
    code === 0x205f ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Server data made safe to show as one line of plain text. */
export function safeName(text: string): string {
  // Most names are clean already: one look at each character instead of building a new string.
  if (text.length <= MAX_NAME && !needsCleaning(text)) return text;
  // Control characters, line breaks and bidirectional overrides would distort the message.
  let spaced = '';
  for (const ch of text) spaced += isDistorting(ch.codePointAt(0)!) ? ' ' : ch;
  const clean = spaced.replace(/\s+/g, ' ').trim();
  return clean.length > MAX_NAME ? `${clean.slice(0, MAX_NAME - 1)}…` : clean;
}

function isDistorting(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0x200e || code === 0x200f || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}


const NO_GROUPS = () => undefined;

/** Templates split at their {n} placeholders: [text, index, text, index, …, text]. */
const templateParts = new Map<string, readonly (string | number)[]>();

/**
 * A message from its translated template (l10n.t with no arguments translates and keeps the
 * placeholders) with {0}, {1}… filled in, as l10n.t(template, …args) would. A document's
 * diagnostics make messages by the thousand; l10n.t's own formatting builds several arrays and
 * strings for each.
 */
function fill(template: string, ...args: readonly (string | number)[]): string {
  let parts = templateParts.get(template);
  if (!parts) templateParts.set(template, (parts = template.split(/\{(\d+)\}/).map((part, i) => (i % 2 ? Number(part) : part))));
  let message = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) message += String(args[parts[i] as number] ?? `{${parts[i]}}`) + (parts[i + 1] as string);
  return message;
}

/** The diagnostic for one mention, if there is anything to say. */
export function diagnoseMention<O extends MentionOrganization>(found: DocumentMention, context: DiagnosticsContext<O>): MentionDiagnostic | undefined {
  const { orgs } = context;
  if (orgs.length === 0) return undefined;
  const groupsOf = context.groupsOf ?? NO_GROUPS;
  const resolution = resolveMention(found.mention, orgs, groupsOf, context);
  const org = ruleOrganization(resolution, orgs);
  const outcome = mentionOutcome(resolution, found, { org, groups: groupsOf(org), selfUserId: context.selfUserIdOf?.(org) });
  // Most mentions are fine: say nothing, build nothing.
  if (outcome.because === undefined && !outcome.refused && resolution.kind !== 'ambiguous' && !outcome.shadowedMember) return undefined;
  const make = (code: MentionDiagnosticCode, severity: Severity, message: string): MentionDiagnostic => ({ code, severity, message, found, resolution, outcome });
  const written = found.mention.text;
  switch (outcome.because) {
    case 'unknownName':
      return make('unknownName', 'warning', fill(l10n.t('Nobody is named "{0}": Zulip shows it as bold text and notifies nobody.'), safeName(written)));
    case 'unknownId':
      return make('unknownId', 'warning', fill(l10n.t('No member has the id in "{0}": Zulip shows it as text and notifies nobody.'), safeName(written)));
    case 'idNameMismatch':
      if (resolution.kind === 'member') {
        return make(
          'idNameMismatch',
          'warning',
          fill(
            l10n.t('Member {0} is called "{1}", not "{2}": Zulip shows this as text and notifies nobody.'),
            resolution.match.user.user_id,
            safeName(resolution.match.user.full_name),
            safeName(resolution.nameMismatch ?? ''),
          ),
        );
      }
      return undefined;
    case 'deactivatedMember':
      return make('deactivatedMember', 'warning', fill(l10n.t('"{0}" is deactivated: Zulip shows the name and notifies nobody.'), safeName(outcome.shownName ?? written)));
    case 'deactivatedGroup':
      return make('deactivatedGroup', 'warning', fill(l10n.t('The group "{0}" is deactivated: Zulip notifies nobody.'), safeName(outcome.shownName ?? written)));
    case 'groupCase':
      if (resolution.kind === 'group' && resolution.matches[0]) {
        return make('groupCase', 'warning', fill(l10n.t('Zulip matches group names exactly: "{0}" is shown as text; the group is "{1}".'), safeName(written), safeName(resolution.matches[0].group.name)));
      }
      return undefined;
    case 'unknownGroup':
      return make('unknownGroup', 'information', fill(l10n.t('No group is named "{0}": Zulip shows it in italics and notifies nobody.'), safeName(written)));
    case 'quoted':
      return make('quoted', 'information', fill(l10n.t('In a quote, Zulip makes this mention silent: "{0}" is not notified.'), safeName(outcome.shownName ?? written)));
    default:
      break;
  }
  if (outcome.refused) {
    return make(
      'groupRefused',
      'error',
      fill(l10n.t('You may not mention "{0}": Zulip refuses to send the message (a silent {1} is allowed).'), safeName(outcome.shownName ?? written), formatGroupMention(safeName(written), true)),
    );
  }
  if (resolution.kind === 'ambiguous') {
    const count = resolution.matches.length;
    return make('ambiguous', 'warning', fill(l10n.t('{0} members are named "{1}": Zulip notifies only one of them, which one it does not promise. Add |id to choose.'), count, safeName(written)));
  }
  if (outcome.shadowedMember && !found.mention.silent) {
    const mention = `@**${safeName(outcome.shadowedMember.full_name)}|${outcome.shadowedMember.user_id}**`;
    return make('wildcardNamesMember', 'information', fill(l10n.t('This notifies everyone ("{0}" is a wildcard), not the member named so; {1} mentions them.'), safeName(written), mention));
  }
  return undefined;
}

/** Diagnostics of a document, kept per line and updated with it. */
export class DocumentDiagnostics<O extends MentionOrganization = MentionOrganization> {
  private perLine: (MentionDiagnostic[] | undefined)[] = [];

  constructor(
    readonly document: MentionDocument,
    private context: DiagnosticsContext<O>,
  ) {
    this.recomputeAll();
  }

  /** Members or groups changed: every mention is resolved again (no parsing). */
  setContext(context: DiagnosticsContext<O>): void {
    this.context = context;
    this.recomputeAll();
  }

  recomputeAll(): void {
    this.perLine = new Array<MentionDiagnostic[] | undefined>(this.document.lineCount);
    for (let line = 0; line < this.document.lineCount; line++) this.perLine[line] = this.diagnoseLine(line);
  }

  /** After `document.edit(startLine, deleteCount, insert)` returned `reparsed`. */
  edited(startLine: number, deleteCount: number, insertCount: number, reparsed: { from: number; to: number }): void {
    this.perLine.splice(startLine, deleteCount, ...new Array<undefined>(insertCount));
    this.perLine.length = this.document.lineCount;
    const shifted = insertCount !== deleteCount;
    for (let line = reparsed.from; line < reparsed.to; line++) this.perLine[line] = this.diagnoseLine(line);
    if (shifted) {
      // Lines after the edit moved: point their diagnostics at the moved mentions (same columns).
      for (let line = reparsed.to; line < this.document.lineCount; line++) {
        const list = this.perLine[line];
        if (!list?.length) continue;
        const moved = this.document.mentionsOn(line);
        this.perLine[line] = list.map((d) => ({ ...d, found: moved.find((m) => m.start === d.found.start && m.end === d.found.end) ?? d.found }));
      }
    }
  }

  all(): MentionDiagnostic[] {
    const out: MentionDiagnostic[] = [];
    for (const list of this.perLine) if (list) for (const d of list) out.push(d);
    return out;
  }

  on(line: number): readonly MentionDiagnostic[] {
    return this.perLine[line] ?? [];
  }

  private diagnoseLine(line: number): MentionDiagnostic[] | undefined {
    const mentions = this.document.mentionsOn(line);
    // Most lines mention nobody: not even an iterator for them.
    if (mentions.length === 0) return undefined;
    let list: MentionDiagnostic[] | undefined;
    for (let i = 0; i < mentions.length; i++) {
      const d = diagnoseMention(mentions[i], this.context);
      if (d) (list ??= []).push(d);
    }
    return list;
  }
}
