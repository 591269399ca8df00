// Mention diagnostics, a quick fix by keyboard, the Markdown preview's chips in a light and a dark
// theme, and Find Member by a typed user id, as a person sees them: the packaged extension in
// code-server, keyboard only. Screenshots go to test-results/e2e/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type Environment, screenshot, startEnvironment } from './harness';
import { openFile, QUICK_INPUT, runCommand, runExactCommand, signInWithApiKey } from './workbench';

const FILE = 'mention-check.md';
/** A Markdown file with mentions Zulip would not send as written, some it would, and fences Zulip renders as Markdown. */
const TEXT = [
  '# Mentions to check',
  '',
  'Ask @**iago** about the release.',
  'Thanks @**Rosencrantz** for the notes.',
  '> As @**Desdemona** said, ship it on Friday.',
  '',
  'Reminder for @**all** and @*backend*; @**Ophelia** left.',
  '',
  '```quote',
  '@**King Hamlet** wrote the plan.',
  '```',
  '',
  '```spoiler Who signs off',
  'Ask @**Polonius**.',
  '```',
  '',
].join('\n');

let env: Environment;

before(async () => {
  env = await startEnvironment({ settings: { 'workbench.colorTheme': 'Default Light Modern' } });
  fs.writeFileSync(path.join(env.workspace, FILE), TEXT);
});

after(async () => {
  await env?.close();
});

/** Moves the cursor with "Go to Line/Column…". */
async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator(QUICK_INPUT).locator('input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
}

test('the Problems panel lists the mention diagnostics; Ctrl+. then Enter applies a quick fix', () =>
  env.capture('mention-quick-fix-applied', async (page) => {
    await signInWithApiKey(page, env);
    await openFile(page, FILE, 'Mentions to check');
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    const problems = page.locator('.markers-panel');
    await problems.getByText(/Rosencrantz/).first().waitFor();
    await problems.getByText(/iago/i).first().waitFor();
    await screenshot(page, 'mention-problems-panel');

    // Back in the editor, on the ambiguous @**iago**: the first fix names one Iago by id.
    await page.locator('.monaco-editor .view-lines').first().click();
    await goTo(page, 3, 8);
    const menu = page.locator('.action-widget');
    const fix = menu.getByText(/with \|1[16]/).first();
    // On a loaded machine the first Ctrl+. can come before the editor has the cursor's place from
    // Go to Line ("No code actions available"): press it again, as a person would.
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+.');
      if (await fix.waitFor({ timeout: 8000 }).then(() => true, () => false)) break;
      assert.ok(attempt < 4, 'the quick fixes of the ambiguous @**iago**');
      await page.keyboard.press('Escape');
      await goTo(page, 3, 8);
    }
    await screenshot(page, 'mention-quick-fix-menu');
    await page.keyboard.press('Enter');
    // A string, not a pattern: the editor draws spaces as no-break spaces, which only string matching folds.
    await page.locator('.monaco-editor .view-line', { hasText: 'Ask @**Iago|' }).first().waitFor();
  }));

/** Opens the preview beside the editor and waits for the chips in its (nested) webview frame. */
async function previewChips(page: Page, shot: string): Promise<void> {
  await openFile(page, FILE, 'Mentions to check');
  await runExactCommand(page, 'Markdown: Open Preview to the Side');
  const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  await frame.locator('.zulip-mention', { hasText: 'Desdemona' }).first().waitFor();
  await frame.locator('.zulip-mention', { hasText: 'backend' }).first().waitFor();
  // As Zulip renders them: the quote fence a quote, its mention silent; the spoiler under its header.
  await frame.locator('blockquote .zulip-mention-silent', { hasText: 'King Hamlet' }).first().waitFor();
  await frame.locator('details.zulip-spoiler summary', { hasText: 'Who signs off' }).first().waitFor();
  await screenshot(page, shot);
}

test('the Markdown preview shows mentions as chips (light theme)', () =>
  env.capture('mention-preview-light-final', async (page) => {
    await signInWithApiKey(page, env);
    await previewChips(page, 'mention-preview-light');
  }));

test('Find Member… by a typed user id: Enter opens that member, not a name holding the digits', () =>
  env.capture('find-member-by-id-26', async (page) => {
    // A member whose name holds "26", which VS Code's own sorting would put first.
    env.zulip.org.addUser({ user_id: 1026, full_name: 'Member 00026 Charlie', delivery_email: 'charlie.1026@example.com' });
    await signInWithApiKey(page, env);
    await runCommand(page, 'Zulip: Find Member…');
    const widget = page.locator(QUICK_INPUT);
    await widget.locator('.quick-input-title', { hasText: 'Find a member of' }).waitFor();
    await widget.locator('input.input').fill('26');
    await widget.locator('.monaco-list-row', { hasText: 'Member 00026 Charlie' }).first().waitFor();
    await widget.locator('.monaco-list-row.focused', { hasText: 'Converter Bot' }).first().waitFor();
    await screenshot(page, 'find-member-typing-26');
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab', { hasText: 'Converter Bot' }).first().waitFor();
  }));

// Last: closing a second environment stops the code-servers of this process.
test('the Markdown preview shows mentions as chips (dark theme)', async () => {
  const dark = await startEnvironment({ settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  try {
    fs.writeFileSync(path.join(dark.workspace, FILE), TEXT);
    await dark.capture('mention-preview-dark-final', async (page) => {
      await signInWithApiKey(page, dark);
      await previewChips(page, 'mention-preview-dark');
    });
  } finally {
    await dark.close();
  }
});
