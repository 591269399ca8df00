// Finding members from the command palette, hover cards on @-mentions and mention completion,
// as a person uses them: the packaged extension in code-server, keyboard and mouse.
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type Environment, screenshot, startEnvironment } from './harness';
import { hoverUntilShown, openFile, QUICK_INPUT, runCommand, signInWithApiKey } from './workbench';

let env: Environment;

before(async () => {
  env = await startEnvironment();
});

after(async () => {
  await env?.close();
});


/** Find Member…, type `query`, wait until `expected` is the highlighted row, press Enter. */
async function findMember(page: Page, query: string, expected: string, shot?: string): Promise<void> {
  // A focused profile panel (a webview) keeps F1 to itself: focus the workbench first, as a
  // person clicking beside it does.
  await page.locator('.part.sidebar').click({ position: { x: 40, y: 400 } });
  await runCommand(page, 'Zulip: Find Member…');
  const widget = page.locator(QUICK_INPUT);
  await widget.locator('.quick-input-title', { hasText: 'Find a member of' }).waitFor();
  await widget.locator('input.input').fill(query);
  await widget.locator('.monaco-list-row.focused', { hasText: expected }).first().waitFor();
  if (shot) await screenshot(page, shot);
  await page.keyboard.press('Enter');
}

/** The profile panel's editor tab for a member. */
function profileTab(page: Page, name: string) {
  return page.locator('.tabs-container .tab', { hasText: name }).first();
}

test('Find Member… finds a member by name and opens the profile panel', () =>
  env.capture('find-member-by-name', async (page) => {
    await signInWithApiKey(page, env);
    await findMember(page, 'desdem', 'Desdemona', 'find-member-typing');
    await profileTab(page, 'Desdemona').waitFor();
  }));

/** Waits until the browser's clipboard holds `expected`. */
async function clipboardHolds(page: Page, expected: string): Promise<void> {
  const read = () =>
    page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
  const deadline = Date.now() + 10_000;
  let text = await read();
  while (text !== expected) {
    if (Date.now() > deadline) throw new Error(`The clipboard holds ${JSON.stringify(text)}, not ${JSON.stringify(expected)}`);
    await page.waitForTimeout(100);
    text = await read();
  }
}

test("the row's buttons copy the mention and the email", () =>
  env.capture('find-member-copy-buttons', async (page) => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.codeServer.url });
    await signInWithApiKey(page, env);
    await runCommand(page, 'Zulip: Find Member…');
    const widget = page.locator(QUICK_INPUT);
    await widget.locator('input.input').fill('desdem');
    const row = widget.locator('.monaco-list-row', { hasText: 'Desdemona' }).first();
    await row.hover();
    await row.getByRole('button', { name: 'Copy mention' }).click();
    await clipboardHolds(page, '@**Desdemona|5**');
    await row.hover();
    await row.getByRole('button', { name: 'Copy email' }).click();
    await clipboardHolds(page, 'desdemona@zulip.com');
  }));

test('Find Member… finds a member by email and by user id', () =>
  env.capture('find-member-by-email-and-id', async (page) => {
    await signInWithApiKey(page, env);
    await findMember(page, 'cordelia@zulip.com', "Cordelia, Lear's daughter");
    await profileTab(page, 'Cordelia').waitFor();
    await findMember(page, '16', 'Iago', 'find-member-by-id');
    await profileTab(page, 'Iago').waitFor();
  }));

test('hovering a mention in the sample notes shows the member card', () =>
  env.capture('mention-hover-card', async (page) => {
    await signInWithApiKey(page, env);
    await openFile(page, 'team-notes.md');
    // The second Iago, written with his id: the card is his, in Tokyo.
    const token = page.locator('.monaco-editor .view-line span', { hasText: 'Iago|16' }).last();
    await token.waitFor();
    const hover = page.locator('.monaco-hover', { hasText: 'user id 16' }).filter({ visible: true }).first();
    await hoverUntilShown(page, token, hover);
    await hover.getByText('Asia/Tokyo').first().waitFor();
    await hover.getByText('Open profile').first().waitFor();
    // The first card asked the avatar cache for the image; the next one shows the file.
    await page.waitForTimeout(1000);
    await hoverUntilShown(page, token, hover);
    const avatar = hover.locator('img').first();
    await avatar.waitFor();
    // Loaded, not a broken-image box.
    await page.waitForFunction((img) => {
      const image = img as unknown as { complete: boolean; naturalWidth: number };
      return image.complete && image.naturalWidth > 0;
    }, await avatar.elementHandle());
    await screenshot(page, 'mention-hover-iago-16');

    // A group mention: the group's description and member count. (The last span is the
    // innermost, the one that holds the text.)
    const group = page.locator('.monaco-editor .view-line span', { hasText: 'backend' }).last();
    await hoverUntilShown(page, group, page.locator('.monaco-hover', { hasText: 'User group of' }).filter({ visible: true }).first());
  }));

test('typing @** suggests members; Enter writes @**Full Name** as Zulip does', () =>
  env.capture('mention-completion', async (page) => {
    await signInWithApiKey(page, env);
    await openFile(page, 'team-notes.md');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Thanks @**desd');
    const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: 'Desdemona' }).first();
    await suggestion.waitFor();
    await screenshot(page, 'mention-completion-list');
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-line', { hasText: 'Thanks @**Desdemona**' }).first().waitFor();
  }));
