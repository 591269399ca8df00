// How a person drives the VS Code workbench in the end-to-end tests: the command palette, input
// boxes, notifications, trees, hovers, Quick Open and the profile page, through the keyboard and
// the mouse. test/e2e/harness.ts starts the environment these run in.
import type { Frame, Locator, Page } from 'playwright-core';
import type { Environment } from './harness';

/** How long a person would wait for something to appear. */
export const UI_TIMEOUT_MS = 30_000;

/** The dialogs, notifications and input box a person would be looking at, as text. */
export async function describeScreen(page: Page): Promise<string> {
  const texts = async (selector: string) =>
    (await page.locator(selector).filter({ visible: true }).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
  const lines = [
    ...(await texts('.monaco-dialog-box .dialog-message-row')).map((t) => `  dialog: ${t}`),
    ...(await texts('.notification-toast .notification-list-item-message')).map((t) => `  notification: ${t}`),
    ...(await texts('.quick-input-widget .quick-input-title')).map((t) => `  input box: ${t}`),
    ...(await texts('.statusbar-item')).filter((t) => /zulip|sign in/i.test(t)).map((t) => `  status bar: ${t}`),
  ];
  return lines.join('\n');
}

/** The command palette, Quick Open and every input box. */
export const QUICK_INPUT = '.quick-input-widget';

/** F1, the command's title, Enter: as a person runs a command from the palette. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const widget = page.locator(QUICK_INPUT);
  await page.keyboard.press('F1');
  const opened = await widget.waitFor({ state: 'visible', timeout: 3000 }).then(
    () => true,
    () => false,
  );
  if (!opened) {
    // A focused webview (a profile panel) can keep F1 to itself: give the focus back to the
    // workbench, as a click outside the panel would, and ask again.
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.keyboard.press('F1');
    await widget.waitFor({ state: 'visible' });
  }
  const input = widget.locator('input.input');
  await input.fill(`>${title}`);
  // Enter only once the command is the highlighted row, or Enter would run another one.
  await widget.locator('.monaco-list-row.focused', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * Types `text` into the open input box and presses Enter. With `title`, first waits for the box
 * with that title, so an answer never lands in the previous step's box.
 */
export async function answerInput(page: Page, text: string, options: { title?: string | RegExp } = {}): Promise<void> {
  const widget = page.locator(QUICK_INPUT);
  await widget.waitFor({ state: 'visible' });
  if (options.title) await widget.locator('.quick-input-title', { hasText: options.title }).waitFor();
  const input = widget.locator('input.input');
  await input.fill(text);
  await page.keyboard.press('Enter');
}

/** A status bar entry showing `text`. */
export function statusBarItem(page: Page, text: string | RegExp): Locator {
  return page.locator('.statusbar-item', { hasText: text }).first();
}

/** A notification toast showing `text`. */
export function notification(page: Page, text: string | RegExp): Locator {
  return page.locator('.notification-toast', { hasText: text }).first();
}

/**
 * Signs the demo member in through the command palette and the input boxes, as a person does,
 * and waits for the confirmation and the status bar.
 */
export async function signInWithApiKey(page: Page, env: Pick<Environment, 'site' | 'user'>): Promise<void> {
  await runCommand(page, 'Zulip: Sign In with API Key');
  await answerInput(page, env.site, { title: 'organization URL' });
  await answerInput(page, env.user.email, { title: 'email' });
  await answerInput(page, env.user.apiKey, { title: 'API key' });
  await notification(page, `as ${env.user.fullName}`).waitFor();
  await statusBarItem(page, env.user.fullName).waitFor();
}

/**
 * Collapses the Groups view below Members, so the Members list has the sidebar's height: the
 * tree draws only the rows that fit, and a test reading many rows needs them drawn.
 */
export async function collapseGroupsView(page: Page): Promise<void> {
  const header = page.locator('.pane-header', { hasText: /^Groups/i }).first();
  if ((await header.count()) === 0) return;
  if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
}

/**
 * F1, the command's title, and Enter once that very command is highlighted: "Open Locked Preview
 * to the Side" ranks above "Open Preview to the Side" for its own title, so walk down to it.
 */
export async function runExactCommand(page: Page, title: string): Promise<void> {
  const widget = page.locator(QUICK_INPUT);
  await page.keyboard.press('F1');
  await widget.waitFor({ state: 'visible' });
  await widget.locator('input.input').fill(`>${title}`);
  const focused = widget.locator('.monaco-list-row.focused .label-name').first();
  await widget.locator('.monaco-list-row', { hasText: title }).first().waitFor();
  for (let step = 0; (await focused.textContent())?.trim() !== title; step++) {
    if (step > 5) throw new Error(`"${title}" is not among the first rows`);
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
}

/** A row of a tree in the sidebar (Members, Groups) whose label starts with `text`. */
export function treeRow(page: Page, text: string | RegExp): Locator {
  return page.locator('.pane-body .monaco-list-row', { has: page.locator('.label-name', { hasText: text }) }).first();
}

/**
 * Points at `target` until `hover` shows. VS Code asks for a hover once per mouse rest, so a rest
 * that came before the members finished loading (or that the editor took for a scroll) is not
 * asked again: move away and rest once more, a few times.
 */
export async function hoverUntilShown(page: Page, target: Locator, hover: Locator, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(0, 0);
    await hover.waitFor({ state: 'hidden', timeout: 2000 }).catch(() => undefined);
    await target.hover();
    try {
      await hover.waitFor({ timeout: 5000 });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

/**
 * Opens a file of the workspace with Quick Open (Ctrl+P), as a person does, and waits for an
 * editor; with `showing`, for the editor to show that text.
 */
export async function openFile(page: Page, name: string, showing?: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const widget = page.locator(QUICK_INPUT);
  await widget.waitFor({ state: 'visible' });
  await widget.locator('input.input').fill(name);
  await widget.locator('.monaco-list-row.focused', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines', showing === undefined ? {} : { hasText: showing }).first().waitFor();
}

/** Preferences: Color Theme (Ctrl+K Ctrl+T), the theme's name, and a click on its row. */
export async function chooseTheme(page: Page, theme: string): Promise<void> {
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+T');
  const widget = page.locator(QUICK_INPUT);
  await widget.waitFor({ state: 'visible' });
  await widget.locator('input.input').fill(theme);
  // "Browse Additional Color Themes…" stays first: click the theme's own row.
  await widget.locator('.monaco-list-row', { hasText: theme }).first().click();
  await widget.waitFor({ state: 'hidden' });
  // The new colors take a moment to reach every part, webviews last.
  await page.waitForTimeout(500);
}

/** Which profile page to look for: by the name in its heading, the member's id, or any text it shows. */
export type ProfileMatch = { name: string } | { userId: number } | { text: string };

/** The frame holding a profile page (webviews nest an iframe in an iframe), once it shows `match`. */
export async function profileFrame(page: Page, match: ProfileMatch, timeoutMs = UI_TIMEOUT_MS): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  const shows = async (frame: Frame): Promise<boolean> => {
    const profile = frame.locator('main.profile');
    if ('name' in match) return (await profile.locator('h1.name').textContent({ timeout: 100 }).catch(() => null)) === match.name;
    if ('userId' in match) return (await profile.getAttribute('data-user-id', { timeout: 100 }).catch(() => null)) === String(match.userId);
    return (await profile.innerText({ timeout: 100 }).catch(() => '')).includes(match.text);
  };
  for (;;) {
    for (const frame of page.frames()) if (await shows(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`No profile page showing ${JSON.stringify(match)}`);
    await page.waitForTimeout(200);
  }
}

/** Rests the pointer on `target` until a visible hover holding `text` (without it, any hover) shows, and returns it. */
export async function hoverCard(page: Page, target: Locator, text?: string): Promise<Locator> {
  const hover = page.locator('.monaco-hover', text === undefined ? {} : { hasText: text }).filter({ visible: true }).first();
  await hoverUntilShown(page, target, hover);
  return hover;
}
