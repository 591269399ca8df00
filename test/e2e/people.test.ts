// People as Zulip shows them, as a person sees them with the packaged extension in code-server:
// a status (a custom emoji's image where an image can show, its name where only text can) on the
// Members tree row and its tooltip, on a mention's hover card, in Find Member and on the profile
// panel with the member's groups; the Groups view with a group expanded and a group's hover; a
// status changing on the server while the row is watched; in light and dark themes. Screenshots
// in test-results/e2e/people-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Frame, Locator, Page } from 'playwright-core';
import { type Environment, runCommand, screenshot, signInWithApiKey, startEnvironment, UI_TIMEOUT_MS } from './harness';

let env: Environment;

const IAGO = 11;
const CORDELIA = 8;

before(async () => {
  env = await startEnvironment({ members: 50, settings: { 'workbench.colorTheme': 'Default Light Modern' } });
});

after(async () => {
  await env?.close();
});

/** A row of a tree in the sidebar whose label starts with `text`. */
function treeRow(page: Page, text: string | RegExp): Locator {
  return page.locator('.pane-body .monaco-list-row', { has: page.locator('.label-name', { hasText: text }) }).first();
}

/** Hovers `target` until `card` shows (VS Code asks once per mouse rest). */
async function hoverUntilShown(page: Page, target: Locator, card: Locator, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(0, 0);
    await card.waitFor({ state: 'hidden', timeout: 2000 }).catch(() => undefined);
    await target.hover();
    try {
      await card.waitFor({ timeout: 4000 });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

/** The frame holding the profile page once it shows `name`. */
async function profileFrame(page: Page, name: string): Promise<Frame> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    for (const frame of page.frames()) {
      const heading = await frame
        .locator('main.profile h1.name')
        .textContent({ timeout: 100 })
        .catch(() => null);
      if (heading === name) return frame;
    }
    if (Date.now() > deadline) throw new Error(`No profile page showing "${name}"`);
    await page.waitForTimeout(200);
  }
}

async function chooseTheme(page: Page, theme: string): Promise<void> {
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+T');
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible' });
  await widget.locator('input.input').fill(theme);
  await widget.locator('.monaco-list-row', { hasText: theme }).first().click();
  await widget.waitFor({ state: 'hidden' });
  await page.waitForTimeout(500);
}

async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible' });
  await widget.locator('input.input').fill(name);
  await widget.locator('.monaco-list-row.focused', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

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
  const frame = await profileFrame(page, 'Iago');
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
