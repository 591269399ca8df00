// The Getting Started walkthrough as a person meets it: opened from the command palette, its
// steps listed with their pictures, signing in from the first step's button, and the steps
// checking themselves off as the person does what they say.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type Environment, startEnvironment } from './harness';
import { answerInput, notification, runCommand, statusBarItem } from './workbench';

/** The titles package.nls.json gives the steps, in order. */
const STEP_TITLES = ['Sign in to your organization', 'Browse the members', 'Hover a mention', 'Find someone', 'Set your status'];
const WALKTHROUGH_TITLE = 'Get Started with Zulip';
/** Into `@**King Hamlet**` from where its token starts: on the name whatever the tokens are. */
const MENTION_OFFSET_PX = 24;

let env: Environment;

before(async () => {
  env = await startEnvironment({ members: 20 });
});

after(async () => {
  await env?.close();
});

/** Welcome: Open Walkthrough…, then the extension's walkthrough from the list. */
async function openWalkthrough(page: Page): Promise<void> {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  const widget = page.locator('.quick-input-widget');
  await widget.locator('input.input').fill('Zulip');
  await widget.locator('.monaco-list-row.focused', { hasText: WALKTHROUGH_TITLE }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** A step's row in the walkthrough; its id is `<extension>#<walkthrough>#<step>`. */
function step(page: Page, id: string) {
  return page.locator(`button.getting-started-step[data-step-id$="#${id}"]`);
}

/** Waits until the step's check mark says done. */
async function stepDone(page: Page, id: string): Promise<void> {
  const check = page.locator(`.codicon[data-done-step-id$="#${id}"]`);
  await page.waitForFunction(
    (el) => (el as unknown as { getAttribute(name: string): string | null } | null)?.getAttribute('aria-checked') === 'true',
    await check.elementHandle(),
  );
}

async function stepChecked(page: Page, id: string): Promise<string | null> {
  return page.locator(`.codicon[data-done-step-id$="#${id}"]`).getAttribute('aria-checked');
}

test('the walkthrough lists its steps; its Sign in button signs in and the step is checked off; the members and mention steps follow', () =>
  env.capture('walkthrough-sign-in', async (page) => {
    await openWalkthrough(page);
    const walkthrough = page.locator('.gettingStartedSlideDetails');
    await walkthrough.getByText(WALKTHROUGH_TITLE).first().waitFor();
    const titles = (await walkthrough.locator('button.getting-started-step .step-title').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(titles, STEP_TITLES);
    // Nothing done yet, signed out.
    for (const id of ['signIn', 'browseMembers', 'findMember', 'setStatus']) assert.equal(await stepChecked(page, id), 'false', id);

    // The first step is open, with its picture of the real UI (loaded, not a broken image).
    const signIn = step(page, 'signIn');
    await page.waitForFunction((el) => (el as unknown as { getAttribute(n: string): string | null }).getAttribute('aria-expanded') === 'true', await signIn.elementHandle());
    const picture = page.locator('.getting-started-media img').filter({ visible: true }).first();
    await picture.waitFor();
    // VS Code gives the picture of the current theme as its srcset (a URL-encoded path).
    assert.match(decodeURIComponent((await picture.getAttribute('srcset')) ?? ''), /media\/walkthrough\/sign-in-(light|dark)\.png/);
    await page.waitForFunction((img) => {
      const image = img as unknown as { complete: boolean; naturalWidth: number };
      return image.complete && image.naturalWidth > 0;
    }, await picture.elementHandle());
    for (const label of ['Sign In with API Key', 'Import zuliprc…', 'Fetch API Key from JWT']) await signIn.getByRole('button', { name: label }).waitFor();

    await signIn.getByRole('button', { name: 'Sign In with API Key' }).click();
    await answerInput(page, env.site, { title: 'organization URL' });
    await answerInput(page, env.user.email, { title: 'email' });
    await answerInput(page, env.user.apiKey, { title: 'API key' });
    await notification(page, `as ${env.user.fullName}`).waitFor();
    await statusBarItem(page, env.user.fullName).waitFor();
    // Checked off by the zulip.signedIn context the extension sets, not by the click.
    await stepDone(page, 'signIn');
    assert.equal(await stepChecked(page, 'findMember'), 'false');

    // The next step's button shows the Members view, which checks that step off.
    const members = step(page, 'browseMembers');
    await members.click();
    await members.getByRole('button', { name: 'Open the Members View' }).click();
    await page.locator('.pane-body .monaco-list-row', { hasText: 'Zulip Dev' }).first().waitFor();
    await stepDone(page, 'browseMembers');

    // The mention step's button opens a new Markdown file, where a mention gets its card.
    const hover = step(page, 'hoverMention');
    await hover.click();
    await hover.getByRole('button', { name: 'Open a New Markdown File' }).click();
    await page.locator('.tabs-container .tab', { hasText: 'Untitled-1' }).first().waitFor();
    await statusBarItem(page, /^Markdown$/).waitFor();
    // One input event, as a paste: no auto-closing or completion on the way.
    await page.keyboard.insertText('@**King Hamlet** ran the meeting.');
    const token = page.locator('.monaco-editor .view-line > span > span', { hasText: 'King Hamlet' }).first();
    const card = page.locator('.monaco-hover', { hasText: env.user.email }).filter({ visible: true }).first();
    for (let attempt = 1; ; attempt++) {
      await page.mouse.move(0, 0);
      // A few characters in: until Markdown's grammar has split the line, its one span is the
      // token, and the span's middle is past the mention.
      await token.hover({ position: { x: MENTION_OFFSET_PX, y: 8 } });
      if (await card.waitFor({ timeout: 4000 }).then(() => true, () => attempt >= 5)) break;
    }
    await card.waitFor();

    // Opened again (the file took its place), the walkthrough remembers what is done.
    await page.mouse.move(0, 0);
    await openWalkthrough(page);
    await walkthrough.getByText(WALKTHROUGH_TITLE).first().waitFor();
    for (const id of ['signIn', 'browseMembers', 'hoverMention']) await stepDone(page, id);
    for (const id of ['findMember', 'setStatus']) assert.equal(await stepChecked(page, id), 'false', id);
  }));
