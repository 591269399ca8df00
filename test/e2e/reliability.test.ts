// Reliability and security as a person meets them, with the packaged extension in code-server:
// hostile members (server/hostile.ts) on every surface, hovered and clicked, while the page is
// watched for any sign that a payload ran (window.__zulipPwned, a "PWNED" document title, an
// alert) in the workbench or any webview, and for a command link firing (signed out); and VS Code
// starting while the server is gone, showing the members saved on disk, then recovering by itself.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { addHostileMembers, HOSTILE_VALUES, PWNED_GLOBAL, PWNED_TITLE, type AddedHostileMembers, type HostileInput } from '../../server/hostile';
import { record, trial } from '../reliability/outcomes';
import { type Environment, screenshot, startEnvironment } from './harness';
import { answerInput, collapseGroupsView, describeScreen, hoverCard, notification, openFile, profileFrame, runCommand, runExactCommand, signInWithApiKey, statusBarItem } from './workbench';

const SOURCE = 'e2e-reliability';
const MENTIONS_FILE = 'hostile-mentions.md';
/** Each hostile name with another member's id: every line has a diagnostic quoting both names. */
const DIAGNOSTICS_FILE = 'hostile-diagnostics.md';

let env: Environment;
let hostile: AddedHostileMembers;

before(async () => {
  env = await startEnvironment({ members: 20 });
  hostile = addHostileMembers(env.zulip.org);
  // One mention by id per line, then the hostile group, then a line to type into.
  const lines = [...hostile.members.map((m) => `@**|${m.userId}**`), `@*${HOSTILE_VALUES.find((v) => v.id === 'group-name')!.text}*`, ''];
  fs.writeFileSync(path.join(env.workspace, MENTIONS_FILE), lines.join('\n'));
  const mismatched = hostile.members.map((m, i) => `@**${m.input.text.replace(/[\r\n*]/g, ' ')}|${hostile.members[(i + 1) % hostile.members.length].userId}**`);
  fs.writeFileSync(path.join(env.workspace, DIAGNOSTICS_FILE), mismatched.join('\n'));
});

after(async () => {
  await env?.close();
});

/** Control characters are not drawn; what a person can read of a name. */
const visible = (text: string) =>
  text
    .replace(/[\r\n\u2028\u2029⏎]+/g, ' ')
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u001f\u007f\u200b\u202a-\u202e\u2066-\u2069\ufffd]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** Watches one workbench for executed payloads: alerts from any frame, and each frame's marks. */
function watchForPayloads(page: Page): { dialogs: string[]; check(): Promise<void> } {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss().catch(() => undefined);
  });
  return {
    dialogs,
    async check() {
      for (const frame of page.frames()) {
        const marks = await frame
          .evaluate(`[typeof window.${PWNED_GLOBAL} === 'undefined' ? null : String(window.${PWNED_GLOBAL}), document.title]`)
          .catch(() => [null, '']) as [string | null, string];
        assert.equal(marks[0], null, `a payload ran in ${frame.url()}: window.${PWNED_GLOBAL} = ${marks[0]}`);
        assert.ok(!marks[1].startsWith(PWNED_TITLE), `a payload changed the title of ${frame.url()} to "${marks[1]}"`);
      }
      assert.deepEqual(dialogs, [], 'no alert was opened');
    },
  };
}


/** No command link fired: still signed in, and no sign-out notification. */
async function stillSignedIn(page: Page): Promise<void> {
  await statusBarItem(page, env.user.fullName).waitFor({ timeout: 5000 });
  assert.equal(await notification(page, 'Signed out of').count(), 0, 'a sign-out happened');
}

/** Runs a surface's checks and records each hostile input shown there. */
async function covered(surface: string, inputs: readonly HostileInput[], body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    for (const input of inputs) record(SOURCE, { kind: 'hostile', name: input.id, surface, layer: 'e2e', ok: false, detail: String((error as Error).message).split('\n')[0] });
    throw error;
  }
  for (const input of inputs) record(SOURCE, { kind: 'hostile', name: input.id, surface, layer: 'e2e', ok: true });
}

const names = () => hostile.members.map((m) => m.input);
const inputOf = (id: string) => HOSTILE_VALUES.find((v) => v.id === id)!;

test('Members tree: hostile names show as text in rows and tooltips; hovering and clicking runs nothing', () =>
  env.capture('hostile-members-tree', async (page) => {
    const watch = watchForPayloads(page);
    await signInWithApiKey(page, env);
    await covered('notification', [inputOf('realm-name')], async () => {
      // "Signed in to Mallory Org [Sign out](command:zulip.signOut) as …": text, not a link.
      const toast = notification(page, 'Signed in to Mallory Org');
      await toast.waitFor();
      assert.ok(visible((await toast.textContent()) ?? '').includes(visible(inputOf('realm-name').text)), 'the organization name shows as text');
      assert.equal(await toast.locator('.notification-list-item-message a').count(), 0, 'no link in the message');
      await toast.getByText('[Sign out]', { exact: false }).first().click();
      await screenshot(page, 'hostile-notification-realm-name');
      await stillSignedIn(page);
    });
    await covered('Members tree row and tooltip', [...names(), inputOf('pronouns-html'), inputOf('email-html')], async () => {
      await page.locator('.activitybar .action-item a[aria-label^="Zulip"]').first().click();
      await collapseGroupsView(page);
      await runCommand(page, 'Zulip: Filter Members…');
      await answerInput(page, 'Mallory');
      const group = page.locator('.pane-body .monaco-list-row', { has: page.locator('.label-name', { hasText: /^Members \(\d+\)$/ }) }).first();
      await group.waitFor();
      if ((await group.getAttribute('aria-expanded')) !== 'true') await group.click();
      const rows = page.locator('.pane-body .monaco-list-row', { has: page.locator('.label-name', { hasText: 'Mallory' }) });
      await rows.nth(hostile.members.length - 1).waitFor();
      const labels = (await rows.locator('.label-name').allTextContents()).map(visible);
      // A member with a status shows its emoji after the name.
      const shows = (text: string) => labels.some((label) => label === text || label.startsWith(`${text} `));
      for (const input of names()) assert.ok(shows(visible(input.text)), `the row shows ${input.id} as text: ${labels.map((l) => l.slice(0, 60)).join(' / ')}`);
      assert.equal(await rows.locator('.label-name .codicon').count(), 0, 'no theme icon drawn from a name');
      await screenshot(page, 'hostile-members-tree-rows');
      for (let i = 0; i < hostile.members.length; i++) {
        const hover = await hoverCard(page, rows.nth(i));
        assert.equal(await hover.locator('a').count(), 0, 'a tooltip holds no link');
        assert.equal(await hover.locator('img').count(), 0, 'a tooltip holds no image');
        // Click where a link would be, as a person trying it would.
        await hover.click({ position: { x: 10, y: 10 } }).catch(() => undefined);
        if (i === 2) await screenshot(page, 'hostile-members-tooltip-command-link');
        await page.mouse.move(0, 0);
      }
      await watch.check();
      await stillSignedIn(page);
    });
  }));

test('mention hovers: hostile names show as text; only Open profile and Copy mention are links; the profile opened from a card runs nothing', () =>
  env.capture('hostile-mention-hovers', async (page) => {
    const watch = watchForPayloads(page);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.codeServer.url });
    await signInWithApiKey(page, env);
    await openFile(page, MENTIONS_FILE);
    await covered('mention hover card', [...names(), inputOf('group-name')], async () => {
      const lines = page.locator('.monaco-editor .view-line');
      for (let i = 0; i <= hostile.members.length; i++) {
        const token = lines.nth(i).locator('span span').first();
        const hover = await hoverCard(page, token, i < hostile.members.length ? 'Open profile' : 'User group of');
        const anchors = await hover.locator('a').allTextContents();
        if (i < hostile.members.length) {
          const member = hostile.members[i];
          await hover.getByText('Open profile').waitFor();
          assert.deepEqual(anchors.filter((a) => a.trim()).sort(), ['Copy mention', 'Open profile'], `only the card's own links for ${member.input.id}`);
          const text = visible((await hover.textContent()) ?? '');
          assert.ok(text.includes(visible(member.input.text).slice(0, 3000)), `${member.input.id} shows as text: ${text.slice(0, 200)}`);
          assert.ok((await hover.locator('img').count()) <= 1, 'the avatar (once cached) only');
          if (member.input.id === 'name-command-link') {
            await screenshot(page, 'hostile-hover-command-link');
            await hover.getByText('[Sign out]', { exact: false }).first().click();
          }
        } else {
          assert.deepEqual(anchors.filter((a) => a.trim()), [], 'a group card has no link');
          assert.ok(visible((await hover.textContent()) ?? '').includes(visible(inputOf('group-name').text)));
        }
      }
      await watch.check();
      await stillSignedIn(page);
    });
    // Open profile from the first card: the sanctioned command, and the hostile page it shows.
    const carrier = hostile.members[0];
    await covered('profile panel', [carrier.input, ...HOSTILE_VALUES.filter((v) => v.id !== 'group-name' && v.id !== 'realm-name')], async () => {
      await (await hoverCard(page, lines0(page), 'Open profile')).getByText('Open profile').click();
      const frame = await profileFrame(page, { userId: carrier.userId });
      assert.equal(visible((await frame.locator('h1.name').textContent()) ?? ''), visible(carrier.input.text));
      const hrefs = await frame.locator('a[href]').evaluateAll((links) => links.map((a) => (a as unknown as { getAttribute(name: string): string | null }).getAttribute('href') ?? ''));
      for (const href of hrefs) assert.match(href, /^https?:\/\//, `a link in the page goes to ${href}`);
      const page_text = visible((await frame.locator('main').textContent()) ?? '');
      for (const id of ['github-break-out', 'custom-account-quote', 'short-text-command', 'field-name', 'option-text', 'link-javascript', 'email-html']) {
        assert.ok(page_text.includes(visible(inputOf(id).text)), `${id} shows as text`);
      }
      await screenshot(page, 'hostile-profile-panel');
      // Hover and click every value that is neither a link out nor a button of the page (which
      // would leave this member's page): where a handler would sit if one had survived.
      for (const element of await frame.locator('main dd, main dd :not(a, button):not(:has(a, button))').all()) {
        if ((await element.locator('a, button').count()) > 0) continue;
        await element.hover({ timeout: 2000 }).catch(() => undefined);
        await element.click({ timeout: 2000 }).catch(() => undefined);
      }
      assert.equal(await frame.locator('main.profile').getAttribute('data-user-id'), String(carrier.userId), 'still the same page');
      await watch.check();
      await stillSignedIn(page);
    });
  }));

function lines0(page: Page): Locator {
  return page.locator('.monaco-editor .view-line').first().locator('span span').first();
}

test('Find Member and completion: hostile names and addresses show as typed; each hostile profile renders inert', () =>
  env.capture('hostile-find-member', async (page) => {
    const watch = watchForPayloads(page);
    await signInWithApiKey(page, env);
    await covered('Find Member quick pick', [inputOf('email-html')], async () => {
      await runCommand(page, 'Zulip: Find Member…');
      const widget = page.locator('.quick-input-widget');
      await widget.locator('input.input').fill('Mallory');
      const rows = widget.locator('.monaco-list-row', { hasText: 'Mallory' });
      await rows.nth(Math.min(hostile.members.length, 8) - 1).waitFor();
      await screenshot(page, 'hostile-find-member-list');
      const carrier = widget.locator('.monaco-list-row', { hasText: `user id ${hostile.members[0].userId}` }).first();
      await widget.locator('input.input').fill(String(hostile.members[0].userId));
      await carrier.waitFor();
      assert.ok(visible((await carrier.textContent()) ?? '').includes(visible(inputOf('email-html').text)), 'the hostile address shows as text');
      await page.keyboard.press('Escape');
    });
    // Each member found by id (its row read), then opened: the profile page runs nothing.
    await covered('profile panel', names(), async () => {
      for (const member of hostile.members) {
        await trial(SOURCE, { kind: 'hostile', name: member.input.id, surface: 'Find Member quick pick', layer: 'e2e' }, async () => {
          const widget = page.locator('.quick-input-widget');
          const row = widget.locator('.monaco-list-row.focused', { hasText: `user id ${member.userId}` }).first();
          // A profile page that just took the focus can swallow the first try, or close the
          // picker as it opens: open it again, as a person would.
          const picker = widget.locator('.quick-input-title', { hasText: 'Find a member of' });
          for (let attempt = 1; ; attempt++) {
            await runCommand(page, 'Zulip: Find Member…');
            const opened = await picker.waitFor({ timeout: 10_000 }).then(() => true, () => false);
            if (opened && (await widget.locator('input.input').fill(String(member.userId), { timeout: 10_000 }).then(() => true, () => false))) {
              if (await row.waitFor({ timeout: 10_000 }).then(() => true, () => false)) break;
            }
            assert.ok(attempt < 3, `Find Member shows user ${member.userId}`);
            await page.keyboard.press('Escape');
          }
          const label = visible((await row.locator('.label-name').first().textContent()) ?? '');
          assert.ok(label.startsWith(visible(member.input.text).slice(0, 500)), `${member.input.id}: the row reads "${label.slice(0, 80)}"`);
          assert.equal(await row.locator('.label-name .codicon').count(), 0, 'no theme icon drawn from a name');
          if (member.input.id === 'name-theme-icon') await screenshot(page, 'hostile-find-member-theme-icon');
          await page.keyboard.press('Enter');
        });
        const frame = await profileFrame(page, { userId: member.userId });
        assert.equal(visible((await frame.locator('h1.name').textContent()) ?? ''), visible(member.input.text));
      }
      await watch.check();
      await stillSignedIn(page);
    });
    await covered('completion list', names(), async () => {
      await openFile(page, MENTIONS_FILE);
      await page.keyboard.press('Control+End');
      await page.keyboard.type('@**Mallory');
      const suggestions = page.locator('.suggest-widget .monaco-list-row');
      await suggestions.first().waitFor();
      await screenshot(page, 'hostile-completion');
      const shown = (await suggestions.locator('.label-name').allTextContents()).map(visible);
      assert.ok(shown.length > 3, `suggestions: ${shown.join(' / ')}`);
      for (const label of shown) assert.ok(names().some((n) => visible(n.text).startsWith(label.slice(0, 200)) || label.startsWith(visible(n.text).slice(0, 200))), `"${label.slice(0, 80)}" is a name as typed`);
      assert.equal(await suggestions.locator('.label-name .codicon').count(), 0, 'no theme icon drawn from a name');
      await page.keyboard.press('Escape');
      await watch.check();
      await stillSignedIn(page);
    });
  }));

test('mention diagnostics and the preview: hostile names are text in the Problems panel, the quick fix menu and the preview chips', () =>
  env.capture('hostile-diagnostics-preview', async (page) => {
    const watch = watchForPayloads(page);
    await signInWithApiKey(page, env);
    await covered('mention diagnostics and quick fixes', names(), async () => {
      await openFile(page, DIAGNOSTICS_FILE);
      await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
      const rows = page.locator('.markers-panel .monaco-list-row', { hasText: 'idNameMismatch' });
      await rows.nth(Math.min(hostile.members.length, 6) - 1).waitFor();
      await screenshot(page, 'hostile-problems-panel');
      const panel = page.locator('.markers-panel');
      // The rows' own buttons are links too; the messages hold none.
      assert.ok((await panel.locator('.marker-message').count()) >= Math.min(hostile.members.length, 6), 'the messages are there');
      assert.equal(await panel.locator('.marker-message a').count(), 0, 'no link drawn from a message');
      assert.equal(await panel.locator('.marker-message .codicon').count(), 0, 'no theme icon drawn from a name');
      const messages = (await panel.locator('.monaco-list-row').allTextContents()).map(visible).join('\n');
      assert.ok(messages.includes('[Sign out](command:zulip.signOut)'), 'the command link in a name shows as text');
      assert.ok(messages.includes('$(sign-out)'), 'theme-icon syntax shows as typed');
      await panel.getByText('[Sign out]', { exact: false }).first().click();
      // The quick fix menu on the first line: titles quote names as text.
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+Home');
      const menu = page.locator('.action-widget');
      for (let attempt = 1; ; attempt++) {
        await page.keyboard.press('Control+.');
        if (await menu.getByText(/^Keep \|/).first().waitFor({ timeout: 8000 }).then(() => true, () => false)) break;
        assert.ok(attempt < 4, 'the quick fix menu');
        await page.keyboard.press('Escape');
      }
      await screenshot(page, 'hostile-quick-fix-menu');
      assert.equal(await menu.locator('a').count(), 0, 'no link in the menu');
      await page.keyboard.press('Escape');
      await watch.check();
      await stillSignedIn(page);
    });
    await covered('Markdown preview', [...names(), inputOf('group-name')], async () => {
      await openFile(page, MENTIONS_FILE);
      await runExactCommand(page, 'Markdown: Open Preview to the Side');
      const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      const chips = frame.locator('.zulip-mention');
      await chips.nth(hostile.members.length).waitFor();
      await screenshot(page, 'hostile-preview-chips');
      const texts = (await chips.allTextContents()).map(visible);
      for (const [i, member] of hostile.members.entries()) {
        assert.equal(texts[i], visible(`@${member.input.text}`), `${member.input.id}: the chip reads its name`);
      }
      assert.equal(texts[hostile.members.length], visible(`@${inputOf('group-name').text}`));
      assert.equal(await frame.locator('.zulip-mention *').count(), 0, 'nothing inside a chip but text');
      for (const chip of await chips.all()) await chip.hover({ timeout: 2000 }).catch(() => undefined);
      await watch.check();
      await stillSignedIn(page);
    });
  }));

test('VS Code starting while the server is gone shows the members saved on disk, then recovers by itself', () =>
  trial(SOURCE, { kind: 'fault', name: 'gone-at-startup', layer: 'e2e' }, () =>
    env.capture('offline-start', async (page) => {
      await signInWithApiKey(page, env);
      await page.locator('.activitybar .action-item a[aria-label^="Zulip"]').first().click();
      const orgRow = page.locator('.pane-body .monaco-list-row', { has: page.locator('.label-name', { hasText: 'Mallory Org' }) }).first();
      await orgRow.waitFor();
      await page.locator('.pane-body .label-name', { hasText: /^Members \(\d+\)$/ }).first().waitFor();
      // The list is saved right after it loads; give the write a moment.
      await page.waitForTimeout(1000);

      await env.zulip.outageStart();
      await runCommand(page, 'Developer: Reload Window');
      await page.waitForEvent('load', { timeout: 60_000 });
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // The key survived the reload in SecretStorage; the members come from disk.
      await statusBarItem(page, env.user.fullName).waitFor({ timeout: 60_000 });
      await page.locator('.pane-body .label-description', { hasText: 'offline — showing saved members' }).first().waitFor({ timeout: 60_000 });
      await page.locator('.pane-body .label-name', { hasText: /^Members \(\d+\)$/ }).first().waitFor();
      await page.locator('.pane-body .label-name', { hasText: /^Retry connecting to 127\.0\.0\.1:\d+$/ }).first().waitFor();
      await screenshot(page, 'offline-start-saved-members');
      const toasts = await page.locator('.notification-toast').filter({ visible: true }).allInnerTexts();
      assert.deepEqual(toasts.filter((t) => /zulip|reach|connect|refused|sign in/i.test(t)), [], `no notification about the server being away: ${toasts.join(' / ')}`);

      await env.zulip.outageEnd();
      // Nobody presses Retry: the event queue's backoff finds the server again.
      await page.locator('.pane-body .label-description', { hasText: 'offline — showing saved members' }).waitFor({ state: 'detached', timeout: 90_000 });
      await page.locator('.pane-body .label-name', { hasText: /^Members \(\d+\)$/ }).first().waitFor();
      assert.equal(await page.locator('.pane-body .label-name', { hasText: /^Retry connecting/ }).count(), 0);
      await stillSignedIn(page);
      const screen = await describeScreen(page);
      assert.doesNotMatch(screen, /refused|could not be reached|no longer accepts/, screen);
    }),
  ));
