// The Getting Started walkthrough as package.json declares it: every string translated, every
// picture shipped and small, every button and completion event naming something that exists.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { enclosingBox, MAX_PICTURE_BYTES } from '../../scripts/walkthroughScreenshots';

const ROOT = path.resolve(__dirname, '..', '..');
const readJson = <T>(file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as T;

interface Step {
  id: string;
  title: string;
  description: string;
  media: { image: Record<'light' | 'dark' | 'hc' | 'hcLight', string>; altText: string };
  completionEvents?: string[];
}
interface Manifest {
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    walkthroughs: { id: string; title: string; description: string; steps: Step[] }[];
  };
}

const manifest = readJson<Manifest>('package.json');
const english = readJson<Record<string, string>>('package.nls.json');
const german = readJson<Record<string, string>>('package.nls.de.json');
const [walkthrough] = manifest.contributes.walkthroughs;
const commands = new Set(manifest.contributes.commands.map((c) => c.command));
const views = new Set(Object.values(manifest.contributes.views).flatMap((list) => list.map((v) => v.id)));
/** VS Code's own commands the walkthrough's buttons run. */
const BUILT_IN_COMMANDS = new Set(['workbench.action.files.newUntitledFile']);

/** The `%key%` placeholders of a manifest value. */
function nlsKeys(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(/^%([^%]+)%$/g)].map((m) => m[1]);
  if (Array.isArray(value)) return value.flatMap(nlsKeys);
  if (value && typeof value === 'object') return Object.values(value).flatMap(nlsKeys);
  return [];
}

/** The command ids of a Markdown text's `command:` links, arguments left off. */
function commandLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(command:([\w.-]+)(?:\?[^)]*)?\)/g)].map((m) => m[1]);
}

/** Whether the extension or VS Code has this command (a view's `.focus` included). */
function commandExists(id: string): boolean {
  return commands.has(id) || BUILT_IN_COMMANDS.has(id) || (id.endsWith('.focus') && views.has(id.slice(0, -'.focus'.length)));
}

test('commandLinks finds each command link once, without its arguments', () => {
  assert.deepEqual(commandLinks('Text\n[A](command:zulip.a)\n[B](command:x.y?%7B%7D) and [web](https://zulip.com)'), ['zulip.a', 'x.y']);
  assert.deepEqual(commandLinks('no links'), []);
});

test('every walkthrough string is a walkthrough.* key with English and German text, and no key is left over', () => {
  const used = nlsKeys(walkthrough);
  assert.ok(used.length >= 1 + 1 + walkthrough.steps.length * 3);
  assert.ok([walkthrough.title, walkthrough.description].every((s) => /^%walkthrough\./.test(s)));
  for (const key of used) {
    assert.match(key, /^walkthrough\./);
    assert.ok(english[key]?.trim(), `package.nls.json has ${key}`);
    assert.ok(german[key]?.trim(), `package.nls.de.json has ${key}`);
  }
  const declared = (bundle: Record<string, string>) => Object.keys(bundle).filter((k) => k.startsWith('walkthrough.')).sort();
  assert.deepEqual(declared(english), [...used].sort());
  assert.deepEqual(declared(german), [...used].sort());
});

test("every step's buttons run commands that exist, the same ones in English and German", () => {
  for (const step of walkthrough.steps) {
    const [key] = nlsKeys(step.description);
    const links = commandLinks(english[key]);
    assert.ok(links.length > 0, `${step.id} has a button`);
    for (const id of links) assert.ok(commandExists(id), `${step.id}: command ${id} exists`);
    assert.deepEqual(commandLinks(german[key]), links, `${step.id}: the German text keeps the buttons`);
  }
  const [signIn] = walkthrough.steps;
  assert.deepEqual(commandLinks(english[nlsKeys(signIn.description)[0]]), ['zulip.signInWithApiKey', 'zulip.importZuliprc', 'zulip.signInWithJwt']);
});

test('completion events name commands, views and context keys the extension has', () => {
  const sources = fs
    .readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => fs.readFileSync(path.join(ROOT, 'src', f), 'utf8'))
    .join('\n');
  for (const event of walkthrough.steps.flatMap((s) => s.completionEvents ?? [])) {
    const [kind, name] = event.split(/:(.*)/s);
    if (kind === 'onCommand') assert.ok(commands.has(name), event);
    else if (kind === 'onView') assert.ok(views.has(name), event);
    else if (kind === 'onContext') assert.ok(sources.includes(`'setContext', '${name}'`), `${event}: the extension sets ${name}`);
    else assert.fail(`unexpected completion event ${event}`);
  }
  assert.deepEqual(walkthrough.steps[0].completionEvents, ['onContext:zulip.signedIn']);
});

test('every picture is a PNG in media/walkthrough/, shipped in the package, and small', () => {
  const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
  assert.ok(ignore.includes('!media/**'), '.vscodeignore keeps media/');
  assert.ok(ignore.includes('!package.nls.json') && ignore.includes('!package.nls.*.json'), '.vscodeignore keeps the translations');
  for (const step of walkthrough.steps) {
    const files = new Set(Object.values(step.media.image));
    assert.ok(step.media.image.light !== step.media.image.dark, `${step.id} has a light and a dark picture`);
    for (const file of files) {
      assert.match(file, /^media\/walkthrough\/[\w-]+\.png$/);
      const bytes = fs.readFileSync(path.join(ROOT, file));
      assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', file);
      assert.ok(bytes.length <= MAX_PICTURE_BYTES, `${file} is ${bytes.length} bytes`);
    }
  }
});

test('enclosingBox holds every part with a margin and stays inside the page', () => {
  const page = { width: 100, height: 80 };
  assert.deepEqual(enclosingBox([{ x: 10, y: 20, width: 30, height: 10 }, { x: 50, y: 5, width: 10, height: 10 }], 2, page), { x: 8, y: 3, width: 54, height: 29 });
  assert.deepEqual(enclosingBox([{ x: 1, y: 1, width: 98, height: 78 }], 5, page), { x: 0, y: 0, width: 100, height: 80 });
  assert.throws(() => enclosingBox([], 2, page), /Nothing to crop/);
});
