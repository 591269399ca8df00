// The Members view and the profile panel as a person uses them, with the packaged extension:
// sign in, open the Zulip view from the activity bar, expand a group, click a member, read the
// profile page inside its webview, look at both in a light and a dark theme, watch a rename made
// on the server arrive in the tree and the page, and reload the window to find the page again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Environment, screenshot, startEnvironment } from './harness';
import { chooseTheme, profileFrame, runCommand, signInWithApiKey, treeRow } from './workbench';

let env: Environment;

const IAGO = 11;

before(async () => {
  env = await startEnvironment({ members: 200, settings: { 'workbench.colorTheme': 'Default Light Modern' } });
});

after(async () => {
  await env?.close();
});


test('the Zulip view lists the members after sign-in; a click opens the profile; light and dark; live rename; reload', () =>
  env.capture('members-profile', async (page) => {
    await signInWithApiKey(page, env);

    // The activity bar's Zulip icon opens the Members view.
    await page.locator('.activitybar .action-item a[aria-label^="Zulip"]').first().click();
    await treeRow(page, 'Zulip Dev').waitFor();
    const admins = treeRow(page, /^Administrators \(\d+\)$/);
    await admins.waitFor();
    assert.match((await page.locator('.pane-body .monaco-list-row .label-name').allInnerTexts()).join('\n'), /Members \(\d+\)/);
    await admins.click();
    const iago = treeRow(page, /^Iago$/);
    await iago.waitFor();
    // Iago's status (the demo gives him one) comes before his pronouns.
    assert.match((await iago.getAttribute('aria-label')) ?? '', /^Iago, (status emoji \S+, )?([^,]* · )?he\/him, (Active, |Idle, |Offline, )?Administrator$/);

    // Avatars arriving re-render rows; a click on a row being re-rendered can be lost, as for a
    // person, who then clicks again.
    await page.waitForTimeout(1000);
    const tab = page.locator('.tabs-container .tab', { hasText: 'Iago' }).first();
    for (let attempt = 0; attempt < 3 && !(await tab.isVisible()); attempt++) {
      await iago.click();
      await tab.waitFor({ timeout: 5000 }).catch(() => undefined);
    }
    const frame = await profileFrame(page, { name: 'Iago' });
    assert.equal(await frame.locator('.pronouns').textContent(), 'he/him');
    assert.equal(await frame.locator('.badge.role').textContent(), 'Administrator');
    assert.equal(await frame.locator('.email').textContent(), 'iago@zulip.com');
    // The avatar, or its placeholder when the image cannot load (Gravatar is unreachable here).
    assert.ok(await frame.locator('.avatar').first().isVisible());
    const buttons = await frame.locator('nav.actions button').allInnerTexts();
    assert.deepEqual(buttons, ['Copy Mention', 'Copy Email', 'Open in Zulip', 'Send Direct Message', 'Refresh']);
    const fieldNames = await frame.locator('section.fields dt').allInnerTexts();
    assert.ok(fieldNames.length >= 5, fieldNames.join(', '));
    await tab.waitFor();
    await screenshot(page, 'members-light');

    await chooseTheme(page, 'Light High Contrast');
    await screenshot(page, 'members-high-contrast-light');
    await chooseTheme(page, 'Dark High Contrast');
    await screenshot(page, 'members-high-contrast-dark');
    await chooseTheme(page, 'Default Dark Modern');
    await screenshot(page, 'members-dark');

    // A rename on the server: the tree row and the page follow, nobody presses Refresh.
    env.zulip.org.updateUser(IAGO, { full_name: 'Iago the Ensign' });
    await treeRow(page, /^Iago the Ensign$/).waitFor();
    await profileFrame(page, { name: 'Iago the Ensign' });
    await page.locator('.tabs-container .tab', { hasText: 'Iago the Ensign' }).first().waitFor();
    await screenshot(page, 'members-live-rename');

    // The member link inside the page opens that member (Iago's mentor field names Hamlet).
    const nextFrame = await profileFrame(page, { name: 'Iago the Ensign' });
    const link = nextFrame.locator('button.member-link').first();
    const target = await link.textContent();
    await link.click();
    await profileFrame(page, { name: target ?? '' });

    // A window reload brings the page back from its saved state (no secrets in it).
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load', { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await profileFrame(page, { name: target ?? '' });
    await chooseTheme(page, 'Default Light Modern');
  }));

test('signed out, the Zulip view offers the three ways to sign in', () =>
  env.capture('members-signed-out', async (page) => {
    await page.locator('.activitybar .action-item a[aria-label^="Zulip"]').first().click();
    const welcome = page.locator('.welcome-view-content');
    await welcome.waitFor();
    for (const label of ['Sign In with API Key', 'Import zuliprc…', 'Fetch API Key from JWT']) {
      await welcome.getByRole('button', { name: label }).waitFor();
    }
    await welcome.getByRole('button', { name: 'Sign In with API Key' }).click();
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'organization URL' }).waitFor();
    await page.keyboard.press('Escape');
  }));
