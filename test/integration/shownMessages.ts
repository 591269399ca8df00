// Every notification the extension showed during the run, whoever answered it (FakeWindow, the
// reliability tests' NotificationSpy, or nobody), written beside the results at the end so the
// harness's secret scan reads them too. Each test file is bundled on its own: the list lives on
// globalThis to be one list.
import * as fs from 'node:fs';
import * as path from 'node:path';

const KEY = '__zulipShownMessages';

function list(): string[] {
  const holder = globalThis as unknown as Record<string, string[] | undefined>;
  return (holder[KEY] ??= []);
}

export function noteShown(kind: string, message: string, items: readonly string[] = []): void {
  list().push(`${kind}: ${message}${items.length ? ` [${items.join(' | ')}]` : ''}`);
}

export function shownMessages(): readonly string[] {
  return list();
}

/** messages-shown.txt beside ZULIP_TEST_RESULTS; returns the file, or undefined without that variable. */
export function writeShownMessages(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!env.ZULIP_TEST_RESULTS) return undefined;
  const file = path.join(path.dirname(env.ZULIP_TEST_RESULTS), 'messages-shown.txt');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, list().join('\n') + '\n');
  return file;
}
