// Two windows of one VS Code, as a person has them: two browser pages on one code-server in one
// browser profile. They share one SecretStorage (code-server keeps it in the profile's browser
// storage): the test knows it because the second page shows the account signed in without being
// signed in there. A sign-out in the first page must reach the second within seconds: it shows
// the account signed out and its event queue stops (the server's live queues go to none).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { notification, runCommand, screenshot, signInWithApiKey, startEnvironment, statusBarItem, type Environment } from './harness';

let env: Environment;
before(async () => {
  env = await startEnvironment();
});
after(() => env?.close());

async function until(what: string, check: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('signing out in one window signs out every window of the same VS Code', () =>
  env.capture('two-windows-signed-out-in-first', async (first) => {
    await signInWithApiKey(first, env);
    const second = await first.context().newPage();
    try {
      await second.goto(first.url());
      await second.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // Signed in without signing in: the two pages share the storage.
      await statusBarItem(second, env.user.fullName).waitFor({ timeout: 60_000 });
      await until('both windows polling', () => env.zulip.events.size >= 2, 30_000);
      await screenshot(second, 'two-windows-second-signed-in');

      await runCommand(first, 'Zulip: Sign Out');
      await notification(first, 'Signed out of').waitFor();
      const signedOutAt = Date.now();
      await statusBarItem(second, 'Zulip: Sign In').waitFor({ timeout: 15_000 });
      const shownAfterMs = Date.now() - signedOutAt;
      await until("the second window's event queue stops", () => env.zulip.events.size === 0, 10_000);
      assert.ok(shownAfterMs < 15_000, `the second window showed the sign-out after ${shownAfterMs} ms`);
      await second.getByRole('button', { name: 'Sign In with API Key' }).first().waitFor({ timeout: 10_000 });
      await screenshot(second, 'two-windows-second-signed-out');
    } finally {
      await second.close();
    }
  }));
