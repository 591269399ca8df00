// The language dates, times, numbers and "5 minutes ago" are formatted in: VS Code's display
// language where the extension's words are translated into it too, else English, so that a
// sentence never comes out half in each ("Active il y a 5 minutes" in an untranslated French).
import * as vscode from 'vscode';

export function displayLanguage(): string {
  const language = vscode.env.language;
  return vscode.l10n.bundle !== undefined || /^en\b/i.test(language) ? language : 'en';
}
