// Takes the Getting Started walkthrough's pictures (media/walkthrough/) from the real UI: the
// packaged extension in code-server against the demo organization, driven in Chromium as the
// end-to-end tests do, each picture cropped to the part the step is about, in a light and a dark
// theme.
//   npx tsx scripts/walkthroughScreenshots.ts [--out media/walkthrough]
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { type Environment, startEnvironment } from '../test/e2e/harness';
import { chooseTheme, hoverCard, openFile, runCommand, signInWithApiKey, statusBarItem, treeRow, UI_TIMEOUT_MS } from '../test/e2e/workbench';
import { ROOT, workbenchUrl } from './codeServer';
import { runAsCommand } from './runAsCommand';

/** The variants package.json names: `<step>-light.png` and `<step>-dark.png`. */
const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern' } as const;
type Variant = keyof typeof THEMES;
/** The pixel density VS Code asks of walkthrough pictures. */
const WALKTHROUGH_PIXEL_RATIO = 1.5;
const VIEWPORT = { width: 1400, height: 900 };
/** The workbench's first start, with the extension activating. */
const STARTUP_TIMEOUT_MS = 60_000;
/** Room kept around the cropped part, in CSS pixels. */
const MARGIN = 12;
/** The walkthrough shows pictures at about this width; wider ones only cost bytes. */
const SIDEBAR_CLIP_HEIGHT = { signIn: 230, members: 270 } as const;
/** Product assets stay small (the .vsix carries them). */
export const MAX_PICTURE_BYTES = 150 * 1024;
/** Time for a theme change or an avatar to be painted before the picture. */
const PAINT_MS = 700;
/** Time for the avatar cache to fetch a picture a card asked for. */
const AVATAR_MS = 1500;
/** Debian's colour emoji font (fonts-noto-color-emoji): without it statuses show empty boxes. */
const EMOJI_FONT = '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The smallest box holding every box, grown by `margin`, kept inside the page. */
export function enclosingBox(boxes: Box[], margin: number, page: { width: number; height: number }): Box {
  if (boxes.length === 0) throw new Error('Nothing to crop to');
  const left = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
  const top = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
  const right = Math.min(page.width, Math.max(...boxes.map((b) => b.x + b.width)) + margin);
  const bottom = Math.min(page.height, Math.max(...boxes.map((b) => b.y + b.height)) + margin);
  return { x: Math.round(left), y: Math.round(top), width: Math.round(right - left), height: Math.round(bottom - top) };
}

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`Not on screen: ${String(locator)}`);
  return box;
}

async function save(page: Page, outDir: string, name: string, variant: Variant, parts: Box[], margin = MARGIN): Promise<void> {
  await page.waitForTimeout(PAINT_MS);
  const viewport = page.viewportSize() ?? VIEWPORT;
  const file = path.join(outDir, `${name}-${variant}.png`);
  await page.screenshot({ path: file, clip: enclosingBox(parts, margin, viewport), animations: 'disabled' });
  const bytes = fs.statSync(file).size;
  console.log(`${path.relative(ROOT, file)}: ${Math.round(bytes / 1024)} KB`);
  if (bytes > MAX_PICTURE_BYTES) throw new Error(`${file} is ${bytes} bytes, more than ${MAX_PICTURE_BYTES}`);
}

/** The top of the sidebar, `height` pixels of it. */
async function sidebarTop(page: Page, height: number): Promise<Box> {
  const sidebar = await boxOf(page.locator('.part.sidebar'));
  return { ...sidebar, height: Math.min(sidebar.height, height) };
}

async function dismissNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
}

async function signedInPictures(page: Page, outDir: string, variant: Variant): Promise<void> {
  // Members: the view with the Administrators group open.
  await treeRow(page, /^Administrators \(\d+\)$/).waitFor();
  await save(page, outDir, 'members', variant, [await sidebarTop(page, SIDEBAR_CLIP_HEIGHT.members)], 0);

  // A hover card on a mention in the sample notes.
  // A token of the line, not the line's own span (its middle is elsewhere in the line). A mention
  // a few lines down, so the card above it stays in the editor.
  const token = page.locator('.monaco-editor .view-line > span > span', { hasText: 'Cordelia' }).first();
  await token.waitFor();
  await hoverCard(page, token, 'cordelia@zulip.com');
  // The first card asked for the avatar; the next one shows it.
  await page.waitForTimeout(AVATAR_MS);
  const card = await hoverCard(page, token, 'cordelia@zulip.com');
  await save(page, outDir, 'hover', variant, [await boxOf(card), await boxOf(token)]);
  await page.mouse.move(0, 0);

  // Find Member… with a few letters typed.
  await runCommand(page, 'Zulip: Find Member…');
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: 'Find a member of' }).waitFor();
  await widget.locator('input.input').fill('ia');
  await widget.locator('.monaco-list-row.focused', { hasText: 'Iago' }).first().waitFor();
  await save(page, outDir, 'find-member', variant, [await boxOf(widget)]);
  await page.keyboard.press('Escape');

  // Set Status… with Zulip's presets.
  await runCommand(page, 'Zulip: Set Status…');
  await widget.locator('.quick-input-title', { hasText: 'Set Status in' }).waitFor();
  await widget.locator('.monaco-list-row').first().waitFor();
  await save(page, outDir, 'set-status', variant, [await boxOf(widget)]);
  await page.keyboard.press('Escape');
}

/**
 * A workbench at the pixel density VS Code declares for walkthrough pictures (`srcset … 1.5x`),
 * so they stay sharp where it shows them.
 */
async function openWorkbench(env: Environment): Promise<Page> {
  const context = await env.browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: WALKTHROUGH_PIXEL_RATIO });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  await page.goto(workbenchUrl(env.codeServer, env.workspace));
  await page.locator('.monaco-workbench').waitFor({ timeout: STARTUP_TIMEOUT_MS });
  await statusBarItem(page, 'Zulip: Sign In').waitFor({ timeout: STARTUP_TIMEOUT_MS });
  return page;
}

async function takePictures(env: Environment, outDir: string): Promise<void> {
  const page = await openWorkbench(env);
  const variants: Variant[] = ['light', 'dark'];

  // Signed out: the Zulip view offers the three ways to sign in.
  await page.locator('.activitybar .action-item a[aria-label^="Zulip"]').first().click();
  const welcome = page.locator('.welcome-view-content').filter({ visible: true }).first();
  await welcome.waitFor();
  for (const variant of variants) {
    await chooseTheme(page, THEMES[variant]);
    await save(page, outDir, 'sign-in', variant, [await sidebarTop(page, SIDEBAR_CLIP_HEIGHT.signIn)], 0);
  }

  await signInWithApiKey(page, env);
  await dismissNotifications(page);
  await openFile(page, 'team-notes.md');
  // The Groups view folded, so Members has the sidebar; the Administrators group opened.
  const groups = page.locator('.pane-header', { hasText: /^Groups/i }).first();
  if ((await groups.getAttribute('aria-expanded')) === 'true') await groups.click();
  await treeRow(page, /^Administrators \(\d+\)$/).click();
  await treeRow(page, /^Iago$/).waitFor();
  for (const variant of variants) {
    await chooseTheme(page, THEMES[variant]);
    await signedInPictures(page, outDir, variant);
  }
  await page.context().close();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const outDir = path.resolve(ROOT, outIndex >= 0 ? args[outIndex + 1] : path.join('media', 'walkthrough'));
  fs.mkdirSync(outDir, { recursive: true });
  if (!fs.existsSync(EMOJI_FONT)) console.warn(`No colour emoji font (${EMOJI_FONT}): emoji will show as boxes. Install fonts-noto-color-emoji.`);
  const env = await startEnvironment({ members: 50 });
  try {
    await takePictures(env, outDir);
  } finally {
    await env.close();
  }
}

runAsCommand(module, main);
