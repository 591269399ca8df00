// People as Zulip shows them, as a person sees them with the packaged extension in code-server:
// a status (a custom emoji's image where an image can show, its name where only text can) on the
// Members tree row and its tooltip, on a mention's hover card, in Find Member and on the profile
// panel with the member's groups; the Groups view with a group expanded and a group's hover; a
// status changing on the server while the row is watched; in light and dark themes. Screenshots
// in test-results/e2e/people-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { type Environment, screenshot, startEnvironment } from './harness';
import { chooseTheme, hoverUntilShown, openFile, profileFrame, runCommand, signInWithApiKey, treeRow } from './workbench';

let env: Environment;

const IAGO = 11;
const CORDELIA = 8;

before(async () => {
  env = await startEnvironment({ members: 50, settings: { 'workbench.colorTheme': 'Default Light Modern' } });
});

after(async () => {
  await env?.close();
});

/** The image shows (loaded, not a broken-image box). */
async function loaded(page: Page, image: Locator): Promise<void> {
  await image.waitFor();
  await page.waitForFunction((img) => {
    const element = img as unknown as { complete: boolean; naturalWidth: number };
    return element.complete && element.naturalWidth > 0;
  }, await image.elementHandle());
}

/** Every surface showing Iago's status, and the Groups view, screenshot in the current theme. */
async function surfaces(page: Page, theme: string): Promise<void> {
  // Members tree: Administrators opened, Iago's row says his status in text (a custom emoji is an image: only its words fit a row).
  const iago = treeRow(page, /^Iago$/);
  await iago.waitFor();
  assert.match((await iago.getAttribute('aria-label')) ?? '', /status emoji green_tick/);
  assert.match(await iago.locator('.label-description').innerText(), /^Reviewing pull requests/);
  const tooltip = page.locator('.monaco-hover', { hasText: 'Reviewing pull requests' }).filter({ visible: true }).first();
  await hoverUntilShown(page, iago.locator('.label-name'), tooltip);
  await tooltip.getByText(':green_tick:').first().waitFor();
  await screenshot(page, `people-tree-tooltip-${theme}`);
  await page.mouse.move(0, 0);

  // The hover card of his mention: the custom emoji drawn as its image beside the words.
  await openFile(page, 'team-notes.md');
  const token = page.locator('.monaco-editor .view-line span', { hasText: 'Iago|11' }).last();
  await token.waitFor();
  const card = page.locator('.monaco-hover', { hasText: 'user id 11' }).filter({ visible: true }).first();
  await hoverUntilShown(page, token, card);
  // The first card asked the cache for the image; a later one shows the file.
  await page.waitForTimeout(1000);
  await hoverUntilShown(page, token, card);
  // VS Code keeps the size the card asks for (|width=16,height=16), not the alt text.
  await loaded(page, card.locator('img[width="16"]').first());
  await card.getByText('Reviewing pull requests').first().waitFor();
  await screenshot(page, `people-hover-card-${theme}`);
  await page.mouse.move(0, 0);

  // Find Member: the status in the item's detail.
  await page.locator('.part.sidebar').click({ position: { x: 40, y: 400 } });
  await runCommand(page, 'Zulip: Find Member…');
  const widget = page.locator('.quick-input-widget');
  await widget.locator('input.input').fill('Iago');
  const row = widget.locator('.monaco-list-row', { hasText: 'Reviewing pull requests' }).first();
  await row.waitFor();
  await screenshot(page, `people-find-member-${theme}`);
  await page.keyboard.press('Escape');

  // The profile panel: the emoji's image, the words, the groups (named, then system ones by Zulip's names).
  await iago.click();
  const frame = await profileFrame(page, { name: 'Iago' });
  await loaded(page, frame.locator('img.status-emoji'));
  assert.match(await frame.locator('.user-status').innerText(), /Reviewing pull requests/);
  const groups = await frame.locator('.member-groups li').allInnerTexts();
  assert.ok(groups.includes('Administrators'), groups.join(', '));
  assert.ok(groups.indexOf('Administrators') > 0 && !groups.includes('role:administrators'), `named groups first, system groups by name: ${groups.join(', ')}`);
  await screenshot(page, `people-profile-${theme}`);

  // The Groups view: a group expanded, and a group's hover.
  const groupsHeader = page.locator('.pane-header', { hasText: /^Groups/i }).first();
  if ((await groupsHeader.getAttribute('aria-expanded')) !== 'true') await groupsHeader.click();
  const hamletGroup = treeRow(page, /^hamletcharacters$/);
  await hamletGroup.waitFor();
  if ((await hamletGroup.getAttribute('aria-expanded')) !== 'true') await hamletGroup.click();
  await treeRow(page, /^King Hamlet/).waitFor();
  await screenshot(page, `people-group-expanded-${theme}`);
  const groupTooltip = page.locator('.monaco-hover', { hasText: 'hamletcharacters' }).filter({ visible: true }).first();
  await hoverUntilShown(page, hamletGroup.locator('.label-name'), groupTooltip);
  await screenshot(page, `people-group-hover-${theme}`);
  await page.mouse.move(0, 0);
}

test("a status on every surface, the profile's groups, the Groups view; light and dark; a status changing while watched", () =>
  env.capture('people', async (page) => {
    await signInWithApiKey(page, env);
    await page.locator('.activitybar .action-item a[aria-label^="Zulip"]').first().click();
    const admins = treeRow(page, /^Administrators \(\d+\)$/);
    await admins.waitFor();
    await admins.click();

    await surfaces(page, 'light');
    await chooseTheme(page, 'Default Dark Modern');
    await surfaces(page, 'dark');

    // A status set on the server while the row is on screen: the row follows, nobody refreshes.
    const members = treeRow(page, /^Members \(\d+\)$/);
    await members.waitFor();
    if ((await members.getAttribute('aria-expanded')) !== 'true') await members.click();
    env.zulip.org.updateStatus(CORDELIA, { status_text: 'Commuting', emoji_name: 'bus' });
    const cordelia = treeRow(page, /^Cordelia, Lear's daughter 🚌$/);
    await cordelia.waitFor();
    assert.match(await cordelia.locator('.label-description').innerText(), /^Commuting/);
    await screenshot(page, 'people-status-live-dark');
    env.zulip.org.updateStatus(CORDELIA, { status_text: '', emoji_name: '' });
    await treeRow(page, /^Cordelia, Lear's daughter$/).waitFor();
    assert.equal(env.zulip.org.getUser(IAGO)?.full_name, 'Iago');
    await chooseTheme(page, 'Default Light Modern');
  }));
