// Registers a language feature for the languages a setting lists ("*" = all), in every kind of
// editable document, and registers it again when the setting changes. VS Code then doesn't call
// the provider at all for other languages.
import * as vscode from 'vscode';

/** Real files, new unsaved files, notebook cells, remote and virtual file systems. */
const SCHEMES = ['file', 'untitled', 'vscode-notebook-cell', 'vscode-remote', 'vscode-vfs', 'vscode-userdata', 'memfs'];

export function selectorFor(languages: readonly string[]): vscode.DocumentFilter[] {
  if (languages.includes('*')) return SCHEMES.map((scheme) => ({ scheme }));
  return languages.flatMap((language) => SCHEMES.map((scheme) => ({ scheme, language })));
}

export class LanguageScopedRegistration implements vscode.Disposable {
  private registration?: vscode.Disposable;
  private readonly listener: vscode.Disposable;

  /**
   * @param setting full setting id, e.g. `zulip.mentions.languages`
   * @param register registers the feature for a selector
   */
  constructor(
    private readonly setting: string,
    private readonly fallback: readonly string[],
    private readonly register: (selector: vscode.DocumentFilter[]) => vscode.Disposable,
  ) {
    this.apply();
    this.listener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(setting)) this.apply();
    });
  }

  private languages(): string[] {
    const [section, ...rest] = this.setting.split('.');
    const value = vscode.workspace.getConfiguration(section).get<unknown>(rest.join('.'));
    if (!Array.isArray(value)) return [...this.fallback];
    return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
  }

  private apply(): void {
    this.registration?.dispose();
    const languages = this.languages();
    this.registration = languages.length ? this.register(selectorFor(languages)) : undefined;
  }

  dispose(): void {
    this.listener.dispose();
    this.registration?.dispose();
  }
}
