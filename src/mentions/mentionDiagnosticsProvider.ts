// VS Code's side of mention diagnostics: one MentionDocument and DocumentDiagnostics per open
// document of the languages `zulip.diagnostics.languages` names (when `zulip.diagnostics.enabled`),
// kept current edit by edit (only the paragraph an edit touches is parsed again), published to a
// DiagnosticCollection after a short pause, and re-resolved when members or groups change. Also
// the quick fixes (CodeActionProvider) and the offer to follow a member's rename.
import * as vscode from 'vscode';
import { displayLanguage } from '../platform/displayLanguage';
import { Delayer } from '../common/delayer';
import { DocumentDiagnostics, type MentionDiagnostic, type Severity } from '../model/mentionDiagnostics';
import { documentKindOf, MentionDocument, type DocumentOptions } from '../model/mentionDocument';
import { fixAllEdits, fixesFor, renameEdits, type TextEdit } from '../model/mentionFixes';
import { safeName } from '../model/mentionDiagnostics';
import type { Organization } from '../model/organization';
import type { MemberRename, MentionEnvironment } from './mentionEnvironment';

/** Diagnostics are published this long after the last edit. */
export const PUBLISH_DEBOUNCE_MS = 150;
export const DIAGNOSTIC_SOURCE = 'Zulip';
export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('zulip');
const DEFAULT_LANGUAGES = ['markdown', 'plaintext'];

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

interface Tracked {
  document: vscode.TextDocument;
  model: MentionDocument;
  /** How the model read the document (the organization's default code block language). */
  options: DocumentOptions;
  diagnostics: DocumentDiagnostics<Organization>;
  /** Edits in a burst publish once. */
  publishing: Delayer;
}

function linesOf(document: vscode.TextDocument, from = 0, to = document.lineCount): string[] {
  const lines: string[] = [];
  for (let i = from; i < to; i++) lines.push(document.lineAt(i).text);
  return lines;
}

export class MentionDiagnosticsProvider implements vscode.CodeActionProvider, vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('zulip-mentions');
  private readonly tracked = new Map<string, Tracked>();
  /** The model's diagnostic behind each published one, for quick fixes. */
  private readonly origin = new WeakMap<vscode.Diagnostic, MentionDiagnostic>();
  /** Published diagnostics are made once per model diagnostic. */
  private readonly published = new WeakMap<MentionDiagnostic, vscode.Diagnostic>();
  private readonly disposables: vscode.Disposable[] = [];

  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND] };

  constructor(private readonly environment: MentionEnvironment) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.open(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.close(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.changed(e)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('zulip.diagnostics')) this.refreshAll();
      }),
      environment.onDidChange(() => this.resolveAgain()),
      environment.onDidRename((renames) => void this.offerRename(renames)),
      vscode.languages.registerCodeActionsProvider({ scheme: '*' }, this, MentionDiagnosticsProvider.metadata),
    );
    this.environment.rememberNames();
    this.refreshAll();
  }

  private settings(): { enabled: boolean; languages: string[] } {
    const config = vscode.workspace.getConfiguration('zulip.diagnostics');
    const languages = config.get<unknown>('languages');
    return {
      enabled: config.get<boolean>('enabled', true) !== false,
      languages: Array.isArray(languages) ? languages.filter((l): l is string => typeof l === 'string') : DEFAULT_LANGUAGES,
    };
  }

  private wanted(document: vscode.TextDocument): boolean {
    const { enabled, languages } = this.settings();
    return enabled && (languages.includes('*') || languages.includes(document.languageId)) && document.uri.scheme !== 'output';
  }

  private refreshAll(): void {
    for (const t of [...this.tracked.values()]) this.close(t.document);
    for (const d of vscode.workspace.textDocuments) this.open(d);
  }

  private open(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    // An untitled document's URI is used again once the old one is gone (which VS Code may report later).
    const current = this.tracked.get(key);
    if (current && current.document !== document) this.close(current.document);
    if (this.tracked.has(key) || !this.wanted(document)) return;
    const options = this.environment.documentOptions();
    const model = new MentionDocument(documentKindOf(document.languageId), linesOf(document), options);
    const tracked: Tracked = { document, model, options, diagnostics: new DocumentDiagnostics(model, this.environment.context()), publishing: new Delayer(() => this.publish(tracked), PUBLISH_DEBOUNCE_MS, { restartOnCall: true }) };
    this.tracked.set(key, tracked);
    this.publish(tracked);
  }

  private close(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const tracked = this.tracked.get(key);
    if (!tracked || tracked.document !== document) return;
    tracked.publishing.dispose();
    this.tracked.delete(key);
    this.collection.delete(document.uri);
  }

  private changed(event: vscode.TextDocumentChangeEvent): void {
    const tracked = this.tracked.get(event.document.uri.toString());
    if (!tracked || event.contentChanges.length === 0) return;
    if (tracked.document !== event.document || tracked.document.languageId !== event.document.languageId) {
      this.close(tracked.document);
      this.open(event.document);
      return;
    }
    // One edit covering every change: from the first changed line to the last, old and new.
    let first = Infinity;
    let lastOld = -1;
    let delta = 0;
    for (const change of event.contentChanges) {
      first = Math.min(first, change.range.start.line);
      lastOld = Math.max(lastOld, change.range.end.line);
      delta += (change.text.match(/\r\n|\r|\n/g)?.length ?? 0) - (change.range.end.line - change.range.start.line);
    }
    const deleteCount = Math.min(lastOld, tracked.model.lineCount - 1) - first + 1;
    const insert = linesOf(event.document, first, Math.min(event.document.lineCount, first + deleteCount + delta));
    const reparsed = tracked.model.edit(first, deleteCount, insert);
    tracked.diagnostics.edited(first, deleteCount, insert.length, reparsed);
    this.schedulePublish(tracked);
  }

  private resolveAgain(): void {
    const context = this.environment.context();
    const { defaultCodeBlockLanguage } = this.environment.documentOptions();
    for (const tracked of [...this.tracked.values()]) {
      if (tracked.options.defaultCodeBlockLanguage !== defaultCodeBlockLanguage) {
        // What a bare ``` fence is changed: the document is read again.
        this.close(tracked.document);
        this.open(tracked.document);
        continue;
      }
      tracked.diagnostics.setContext(context);
      this.publish(tracked);
    }
  }

  private schedulePublish(tracked: Tracked): void {
    tracked.publishing.schedule();
  }

  private publish(tracked: Tracked): void {
    tracked.publishing.cancel();
    this.collection.set(tracked.document.uri, tracked.diagnostics.all().map((d) => this.toVscode(d)));
  }

  private toVscode(d: MentionDiagnostic): vscode.Diagnostic {
    let diagnostic = this.published.get(d);
    if (!diagnostic) {
      diagnostic = new vscode.Diagnostic(rangeOf(d.found), d.message, SEVERITY[d.severity]);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = d.code;
      this.published.set(d, diagnostic);
      this.origin.set(diagnostic, d);
    }
    return diagnostic;
  }

  /** The model's diagnostics for a document (tests and the fix-all action use them). */
  diagnosticsOf(document: vscode.TextDocument): readonly MentionDiagnostic[] {
    return this.tracked.get(document.uri.toString())?.diagnostics.all() ?? [];
  }

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const tracked = this.tracked.get(document.uri.toString());
    if (!tracked) return [];
    const orgs = this.environment.context().orgs;
    const actions: vscode.CodeAction[] = [];
    const only = context.only;
    if (!only || only.contains(vscode.CodeActionKind.QuickFix) || vscode.CodeActionKind.QuickFix.contains(only)) {
      for (const diagnostic of context.diagnostics) {
        const d = this.origin.get(diagnostic);
        if (!d) continue;
        for (const fix of fixesFor(d, orgs)) {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diagnostic];
          action.isPreferred = fix.preferred;
          action.edit = new vscode.WorkspaceEdit();
          action.edit.replace(document.uri, rangeOf(d.found), fix.replacement);
          actions.push(action);
        }
      }
    }
    if (!only || only.contains(FIX_ALL_KIND) || FIX_ALL_KIND.contains(only) || vscode.CodeActionKind.Source.contains(only)) {
      const edits = fixAllEdits(tracked.diagnostics.all(), orgs);
      if (edits.length) {
        const action = new vscode.CodeAction(vscode.l10n.t('Fix all Zulip mentions in this file'), FIX_ALL_KIND);
        action.edit = new vscode.WorkspaceEdit();
        for (const e of edits) action.edit.replace(document.uri, rangeOf(e), e.newText);
        actions.push(action);
      }
    }
    void range;
    return actions;
  }

  /** A member was renamed while open documents mention the old name: offer to follow. */
  private async offerRename(renames: MemberRename[]): Promise<void> {
    const edit = new vscode.WorkspaceEdit();
    let count = 0;
    const files = new Set<string>();
    for (const { org, user, oldName } of renames) {
      for (const tracked of this.tracked.values()) {
        const edits = renameEdits(tracked.model.all(), user, oldName, org.members);
        for (const e of edits) {
          edit.replace(tracked.document.uri, rangeOf(e), e.newText, { label: vscode.l10n.t('{0} is now {1}', safeName(oldName), safeName(user.full_name)), needsConfirmation: false });
          count++;
          files.add(tracked.document.uri.toString());
        }
      }
    }
    if (count === 0) return;
    const [first] = renames;
    const update = vscode.l10n.t('Update Mentions');
    const preview = vscode.l10n.t('Preview…');
    const answer = await vscode.window.showInformationMessage(renameQuestion(renames.length === 1 ? first : renames.length, count, files.size), update, preview);
    if (answer === update) await vscode.workspace.applyEdit(edit);
    else if (answer === preview) await vscode.workspace.applyEdit(withConfirmation(edit), { isRefactoring: true });
  }

  dispose(): void {
    for (const t of this.tracked.values()) t.publishing.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** "Iago is now called Iago Ash. Update 2 mentions in 1 open file?": one whole sentence per case, so each language words it as it needs. */
function renameQuestion(renamed: MemberRename | number, mentions: number, files: number): string {
  const language = displayLanguage();
  const m = mentions.toLocaleString(language);
  const f = files.toLocaleString(language);
  if (typeof renamed !== 'number') {
    const before = safeName(renamed.oldName);
    const after = safeName(renamed.user.full_name);
    if (mentions === 1) return vscode.l10n.t('{0} is now called {1}. Update 1 mention in 1 open file?', before, after);
    if (files === 1) return vscode.l10n.t('{0} is now called {1}. Update {2} mentions in 1 open file?', before, after, m);
    return vscode.l10n.t('{0} is now called {1}. Update {2} mentions in {3} open files?', before, after, m, f);
  }
  const n = renamed.toLocaleString(language);
  if (files === 1) return vscode.l10n.t('{0} members were renamed. Update {1} mentions in 1 open file?', n, m);
  return vscode.l10n.t('{0} members were renamed. Update {1} mentions in {2} open files?', n, m, f);
}

/** The same edits, each needing confirmation: VS Code shows them in its Refactor Preview. */
function withConfirmation(edit: vscode.WorkspaceEdit): vscode.WorkspaceEdit {
  const preview = new vscode.WorkspaceEdit();
  for (const [uri, edits] of edit.entries()) {
    for (const e of edits) preview.replace(uri, e.range, e.newText, { label: vscode.l10n.t('Follow a Zulip rename'), needsConfirmation: true });
  }
  return preview;
}

function rangeOf(at: Pick<TextEdit, 'line' | 'start' | 'endLine' | 'end'>): vscode.Range {
  return new vscode.Range(at.line, at.start, at.endLine, at.end);
}
