// What it takes for code-server to run in another display language, offline: VS Code resolves
// `--locale X` to X only when a language pack for X is installed (otherwise the workbench and the
// extension host say "en" and no extension bundle is loaded). So the tests install a minimal
// language pack of their own (no translations of VS Code itself: its UI stays English), and for
// the pseudo-locale write the extension's pseudo bundles next to the installed extension.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getL10nPseudoLocalized, type l10nJsonFormat } from '@vscode/l10n-dev';
import { installExtension, ROOT, run } from '../../scripts/codeServer';

export const PSEUDO_LOCALE = 'qps-ploc';

/** Packages and installs a language pack for `languageId` that translates nothing of VS Code's. */
export function installLanguagePack(languageId: string, dirs: { extensionsDir: string; userDataDir: string; temp: string }): void {
  const dir = path.join(dirs.temp, `language-pack-${languageId}`);
  fs.mkdirSync(path.join(dir, 'translations'), { recursive: true });
  const manifest = {
    name: `test-language-pack-${languageId}`,
    displayName: `Test language pack ${languageId}`,
    description: 'Makes VS Code resolve the display language for tests; translates nothing.',
    publisher: 'zulip-tests',
    version: '1.0.0',
    license: 'Apache-2.0',
    engines: { vscode: '^1.100.0' },
    categories: ['Language Packs'],
    contributes: {
      localizations: [{ languageId, languageName: languageId, localizedLanguageName: languageId, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }],
    },
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(dir, 'README.md'), `A language pack for tests (${languageId}).\n`);
  fs.writeFileSync(path.join(dir, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  const vsix = path.join(dirs.temp, `language-pack-${languageId}.vsix`);
  run(process.execPath, [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--skip-license', '--allow-missing-repository', '-o', vsix], { cwd: dir });
  installExtension(vsix, dirs.extensionsDir, dirs.userDataDir, () => undefined);
  // The CLI install does not record the pack where the server looks when it resolves `--locale`
  // (USER_DATA/languagepacks.json, which VS Code's running server writes after installs from
  // its UI): written here in the same form, pointing at the installed pack's translations.
  const installed = path.join(dirs.extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  const translations = path.join(installed, 'translations', 'main.i18n.json');
  if (!fs.existsSync(translations)) throw new Error(`The language pack was not installed at ${installed}.`);
  const file = path.join(dirs.userDataDir, 'languagepacks.json');
  const packs = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  packs[languageId] = {
    hash: `${manifest.name}-${manifest.version}`,
    extensions: [{ extensionIdentifier: { id: `${manifest.publisher}.${manifest.name}` }, version: manifest.version }],
    translations: { vscode: translations },
    label: languageId,
  };
  fs.writeFileSync(file, JSON.stringify(packs, null, 2));
}

/** Writes package.nls.qps-ploc.json and l10n/bundle.l10n.qps-ploc.json into the installed extension. */
export function writePseudoBundles(extensionsDir: string): string {
  const installed = fs.readdirSync(extensionsDir).find((name) => name.startsWith('zulip-for-vscode.zulip-'));
  if (!installed) throw new Error(`The extension is not installed in ${extensionsDir}.`);
  const dir = path.join(extensionsDir, installed);
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as l10nJsonFormat;
  const plain = (bundle: l10nJsonFormat) => Object.fromEntries(Object.entries(bundle).map(([key, value]) => [key, typeof value === 'string' ? value : value.message]));
  fs.writeFileSync(path.join(dir, `package.nls.${PSEUDO_LOCALE}.json`), JSON.stringify(getL10nPseudoLocalized(plain(read('package.nls.json')))));
  fs.writeFileSync(path.join(dir, 'l10n', `bundle.l10n.${PSEUDO_LOCALE}.json`), JSON.stringify(getL10nPseudoLocalized(plain(read('l10n/bundle.l10n.json')))));
  return dir;
}
