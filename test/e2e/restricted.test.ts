// Restricted Mode, as a person who opened a folder without trusting it meets it: workspace trust
// on (code-server starts without --disable-workspace-trust), the folder untrusted. The extension
// runs nothing from the workspace, so the Members view, a hover card, completion and the profile
// panel all work there. Screenshots in test-results/e2e/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Environment, screenshot, startEnvironment } from './harness';
import { signInWithApiKey, treeRow } from './workbench';

let env: Environment;

before(async () => {
  env = await startEnvironment({ members: 50, restricted: true });
});

after(async () => {
  await env?.close();
});

test('in Restricted Mode: the Members view, a hover card, completion and the profile panel work', () =>
  env.capture('restricted-mode', async (page) => {
    // The workbench says the folder is restricted: the status bar entry and the banner.
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
    await page.locator('.monaco-workbench .banner', { hasText: /Restricted Mode/ }).first().waitFor();
    await screenshot(page, 'restricted-mode-banner');

    await signInWithApiKey(page, env);

    // The Members view.
    await page.locator('.activitybar .action-item a[aria-label^="Zulip"]').first().click();
    const admins = treeRow(page, /^Administrators \(\d+\)$/);
    await admins.waitFor();
    await admins.click();
    const iago = treeRow(page, /^Iago$/);
    await iago.waitFor();
    await screenshot(page, 'restricted-mode-members');

    // A hover card and completion in the untrusted folder's Markdown file.
    await page.keyboard.press('Control+P');
    const quick = page.locator('.quick-input-widget');
    await quick.locator('input.input').fill('team-notes.md');
    await quick.locator('.monaco-list-row.focused', { hasText: 'team-notes.md' }).first().waitFor();
    await page.keyboard.press('Enter');
    const token = page.locator('.monaco-editor .view-line span', { hasText: 'Iago|16' }).last();
    await token.waitFor();
    const hover = page.locator('.monaco-hover', { hasText: 'user id 16' }).filter({ visible: true }).first();
    // A rest before the members loaded is not asked again: move away and rest once more.
    for (let attempt = 1; ; attempt++) {
      await page.mouse.move(0, 0);
      await token.hover();
      const shown = await hover.waitFor({ timeout: 4000 }).then(
        () => true,
        () => false,
      );
      if (shown) break;
      assert.ok(attempt < 5, 'a hover card for @**Iago|16**');
    }
    await hover.getByText('Open profile').first().waitFor();
    await screenshot(page, 'restricted-mode-hover');
    await page.mouse.move(0, 0);
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Thanks @**desd');
    const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: 'Desdemona' }).first();
    await suggestion.waitFor();
    await screenshot(page, 'restricted-mode-completion');
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-line', { hasText: 'Thanks @**Desdemona**' }).first().waitFor();

    // The profile panel, from the tree.
    const tab = page.locator('.tabs-container .tab', { hasText: 'Iago' }).first();
    for (let attempt = 0; attempt < 3 && !(await tab.isVisible()); attempt++) {
      await iago.click();
      await tab.waitFor({ timeout: 5000 }).catch(() => undefined);
    }
    await tab.waitFor();
    let shown = false;
    for (let i = 0; i < 50 && !shown; i++) {
      for (const frame of page.frames()) {
        if ((await frame.locator('main.profile h1.name').textContent({ timeout: 100 }).catch(() => null)) === 'Iago') shown = true;
      }
      if (!shown) await page.waitForTimeout(200);
    }
    assert.ok(shown, 'the profile page shows Iago');
    // Still restricted: nothing above asked for trust.
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
  }));
