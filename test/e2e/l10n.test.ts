// The extension in another display language, in real VS Code (code-server), offline: German as it
// ships, and a pseudo-locale generated at test time in which any of the extension's English left
// on screen is a string that was not externalized. code-server takes the language from
// `--locale`, and VS Code resolves it only when a language pack for it is installed (see
// languagePack.ts); then the extension host reports it as vscode.env.language and loads
// l10n/bundle.l10n.<language>.json and package.nls.<language>.json.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getL10nPseudoLocalized } from '@vscode/l10n-dev';
import type { Locator, Page } from 'playwright-core';
import { type Environment, screenshot, startEnvironment } from './harness';
import { answerInput, hoverUntilShown, notification, profileFrame, QUICK_INPUT, runCommand, statusBarItem } from './workbench';
import { installLanguagePack, PSEUDO_LOCALE, writePseudoBundles } from './languagePack';

const ROOT = path.join(__dirname, '..', '..');

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
      await owners.click();
      // The group row's own hover (its full label) would take the next click.
      await page.mouse.move(0, 0);
      await page.keyboard.press('Escape');
      const desdemona = page.locator('.pane-body .monaco-list-row', { hasText: 'Desdemona' }).first();
      await desdemona.click();
      // A row drawn again under the pointer (a status or presence update) can take a click as a
      // selection only: Enter on the selected row opens it, as a person would try next.
      const frame = await profileFrame(page, { text: 'Nutzer-ID' }, 8000).catch(async () => {
        await desdemona.click();
        await page.keyboard.press('Enter');
        return profileFrame(page, { text: 'Nutzer-ID' });
      });
      assert.match((await frame.locator('body').innerText()).replace(/\s+/g, ' '), /Erwähnung kopieren .*Direktnachricht senden/);
    }));
});

// ---- Pseudo-locale ----

/** The English text of package.nls.json or the bundle, as the pseudo-locale shows it. */
function pseudo(file: string, key: string): string {
  const bundle = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, string | { message: string }>;
  const value = bundle[key];
  assert.ok(value !== undefined, `${file} has no ${key}`);
  const english = typeof value === 'string' ? value : value.message;
  return getL10nPseudoLocalized({ [key]: english })[key] as string;
}

/** Every string in a JSON answer of the server: member data, which may well be English. */
function strings(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    out.add(value);
    // A choice field's options come as JSON inside a string (field_data).
    if (/^[[{]/.test(value)) {
      try {
        strings(JSON.parse(value), out);
      } catch {
        // Text that only looks like JSON.
      }
    }
  }
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/** What the organization holds (names, emails, statuses, groups, fields), from POST /register. */
async function organizationData(env: Environment): Promise<string[]> {
  const auth = `Basic ${Buffer.from(`${env.user.email}:${env.user.apiKey}`).toString('base64')}`;
  const body = new URLSearchParams({ fetch_event_types: JSON.stringify(['realm_user', 'realm_user_groups', 'user_status', 'custom_profile_fields', 'realm']), client_gravatar: 'true' });
  const response = await fetch(`${env.site}/api/v1/register`, { method: 'POST', headers: { Authorization: auth }, body });
  assert.equal(response.status, 200);
  const settings = await (await fetch(`${env.site}/api/v1/server_settings`)).json();
  return [...strings([await response.json(), settings])].filter((s) => s.length > 1).sort((a, b) => b.length - a.length);
}

/** VS Code's own words around the extension's (its UI is English: the test pack translates none of it). */
const VSCODE_OWN = [/\(Press 'Enter' to confirm or 'Escape' to cancel\)/g, /Press 'Enter' to confirm your input or 'Escape' to cancel/g, /Loading\.\.\./g];

/** The extension's English left in `text` once the organization's data and VS Code's own words are taken out. */
function englishLeft(text: string, data: readonly string[]): string[] {
  let rest = text;
  for (const own of VSCODE_OWN) rest = rest.replace(own, ' ');
  for (const d of data) rest = rest.split(d).join(' ');
  // The command palette's category stays the product's name; https:// and example addresses are data of their own.
  rest = rest.replace(/\bZulip\b/g, ' ').replace(/https?:\/\/\S+/g, ' ').replace(/\S+@\S+/g, ' ');
  // Intl has no data for the pseudo-locale: dates, times and "5 minutes ago" come in English.
  rest = rest.replace(/\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun|AM|PM|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|January|February|March|April|June|July|August|September|October|November|December)\b/g, ' ');
  rest = rest.replace(/\b(now|\d+ (second|minute|hour|day|week|month|year)s? ago|yesterday)\b/gi, ' ');
  return rest.match(/[A-Za-z]{2,}/g) ?? [];
}

describe('pseudo-locale: none of the extension’s English on screen', () => {
  let env: Environment;
  let data: string[];
  before(async () => {
    env = await startEnvironment({
      locale: PSEUDO_LOCALE,
      readyStatus: pseudo('l10n/bundle.l10n.json', 'Zulip: Sign In'),
      prepare: (dirs) => {
        installLanguagePack(PSEUDO_LOCALE, dirs);
        writePseudoBundles(dirs.extensionsDir);
      },
    });
    data = await organizationData(env);
  });
  after(() => env?.close());

  async function check(surface: string, locator: Locator): Promise<void> {
    const text = (await locator.filter({ visible: true }).allInnerTexts()).join(' ').replace(/\s+/g, ' ');
    assert.ok(text.trim(), `${surface} shows nothing`);
    assert.deepEqual(englishLeft(text, data), [], `${surface}: ${text}`);
  }

  test('welcome, status bar, sign-in, notification, Members and Groups rows, a tooltip, a hover card, Find Member, the profile, Set Status', () =>
    env.capture('pseudo-locale', async (page) => {
      const t = (key: string) => pseudo('l10n/bundle.l10n.json', key);
      const n = (key: string) => pseudo('package.nls.json', key);
      await page.locator('.activitybar .action-item').filter({ has: page.locator(`[aria-label^="${n('viewsContainers.zulip.title')}"]`) }).first().click();
      const sidebar = page.locator('.part.sidebar');
      await page.locator('.welcome-view-content').first().waitFor();
      await check('the welcome', sidebar);
      await check('the status bar item', statusBarItem(page, t('Zulip: Sign In')));

      await runCommand(page, `Zulip: ${n('zulip.signInWithApiKey.title')}`);
      const widget = page.locator(QUICK_INPUT);
      await widget.locator('.quick-input-title', { hasText: t('Sign in to Zulip (1/3): organization URL') }).waitFor();
      await check('the URL box', widget.locator('.quick-input-title, .quick-input-message'));
      await answerInput(page, env.site);
      await widget.locator('.quick-input-title', { hasText: t('Sign in to Zulip (2/3): email') }).waitFor();
      await check('the email box', widget.locator('.quick-input-title, .quick-input-message'));
      await answerInput(page, env.user.email);
      await widget.locator('.quick-input-title', { hasText: t('Sign in to Zulip (3/3): API key') }).waitFor();
      await check('the API key box', widget.locator('.quick-input-title, .quick-input-message'));
      await answerInput(page, env.user.apiKey);
      const signedIn = notification(page, env.user.fullName);
      await signedIn.waitFor();
      await check('the sign-in notification', signedIn.locator('.notification-list-item-message'));

      const members = page.locator('.pane-body .monaco-list-row', { hasText: t('Owners') }).first();
      await members.waitFor();
      await page.waitForTimeout(1000);
      await check('the Members and Groups views', sidebar);
      await members.click();
      const desdemona = page.locator('.pane-body .monaco-list-row', { hasText: 'Desdemona' }).first();
      await desdemona.waitFor();
      const tooltip = page.locator('.monaco-hover', { hasText: 'Desdemona' }).filter({ visible: true }).first();
      await hoverUntilShown(page, desdemona.locator('.label-name'), tooltip);
      await check('a row tooltip', tooltip);
      await check('the expanded Members view', sidebar);

      // Find Member…: items with role, status and user id.
      await page.mouse.move(0, 0);
      await runCommand(page, `Zulip: ${n('zulip.findMember.title')}`);
      await widget.locator('input.input').fill('desdem');
      await widget.locator('.monaco-list-row', { hasText: 'Desdemona' }).first().waitFor();
      await check('Find Member', widget.locator('.quick-input-title, .monaco-list-row'));
      await page.keyboard.press('Enter');
      const frame = await profileFrame(page, { text: 'Desdemona' });
      await check('the profile page', frame.locator('main.profile'));

      // A hover card on a mention.
      await page.locator('.part.sidebar').click({ position: { x: 40, y: 400 } });
      await page.keyboard.press('Control+P');
      await widget.locator('input.input').fill('team-notes.md');
      await widget.locator('.monaco-list-row.focused', { hasText: 'team-notes.md' }).first().waitFor();
      await page.keyboard.press('Enter');
      const token = page.locator('.monaco-editor .view-line span', { hasText: 'Iago|16' }).last();
      await token.waitFor();
      const card = page.locator('.monaco-hover', { hasText: '16' }).filter({ visible: true }).first();
      await hoverUntilShown(page, token, card);
      await check('a mention hover card', card);
      await screenshot(page, 'pseudo-locale-hover-card');

      // Set Status: Zulip's presets, Custom status…, Clear Status.
      await page.mouse.move(0, 0);
      await runCommand(page, `Zulip: ${n('zulip.setStatus.title')}`);
      await widget.locator('.monaco-list-row', { hasText: t('In a meeting') }).first().waitFor();
      await check('the Set Status quick pick', widget.locator('.quick-input-title, .monaco-list-row'));
      await screenshot(page, 'pseudo-locale-set-status');
      await page.keyboard.press('Escape');
    }));
});
