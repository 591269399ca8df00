// The extension in another display language, in real VS Code (code-server), offline: German as it
// ships, and a pseudo-locale generated at test time in which any of the extension's English left
// on screen is a string that was not externalized. code-server takes the language from
// `--locale`, and VS Code resolves it only when a language pack for it is installed (see
// languagePack.ts); then the extension host reports it as vscode.env.language and loads
// l10n/bundle.l10n.<language>.json and package.nls.<language>.json.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { answerInput, type Environment, notification, runCommand, startEnvironment, statusBarItem } from './harness';
import { installLanguagePack } from './languagePack';

/** Signs in with the German command and input boxes, as a German-speaking person does. */
async function signInGerman(page: Page, env: Environment): Promise<void> {
  await runCommand(page, 'Zulip: Mit API-Schlüssel anmelden');
  await answerInput(page, env.site, { title: 'URL der Organisation' });
  await answerInput(page, env.user.email, { title: 'E-Mail' });
  await answerInput(page, env.user.apiKey, { title: 'API-Schlüssel' });
  await notification(page, `angemeldet als ${env.user.fullName}`).waitFor();
  await statusBarItem(page, env.user.fullName).waitFor();
}

describe('German', () => {
  let env: Environment;
  before(async () => {
    env = await startEnvironment({ locale: 'de', readyStatus: 'Zulip: Anmelden', prepare: (dirs) => installLanguagePack('de', dirs) });
  });
  after(() => env?.close());

  test('the welcome, the commands, the sign-in, the Members view and a profile in German', () =>
    env.capture('german-members-profile', async (page) => {
      await page.locator('.activitybar [aria-label^="Zulip"]').first().click();
      await page.locator('.welcome-view-content', { hasText: 'Melde dich bei einer Zulip-Organisation an' }).first().waitFor();
      await signInGerman(page, env);
      const header = page.locator('.pane-header', { hasText: /^Mitglieder/i }).first();
      await header.waitFor();
      const owners = page.locator('.pane-body .monaco-list-row', { hasText: /^Besitzer:innen/ }).first();
      await owners.waitFor();
      assert.ok(await page.locator('.pane-header', { hasText: /^Gruppen/i }).count(), 'the Groups view is called Gruppen');
    }));
});
