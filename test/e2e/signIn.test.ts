// Signing in as a person does: the command palette, the input boxes, the status bar and the
// notifications of the packaged extension.
import { after, before, test } from 'node:test';
import { type Environment, startEnvironment } from './harness';
import { answerInput, notification, runCommand, signInWithApiKey, statusBarItem } from './workbench';

let env: Environment;

before(async () => {
  env = await startEnvironment();
});

after(async () => {
  await env?.close();
});

test('sign in with an API key from the command palette; the status bar shows who', () =>
  env.capture('sign-in-api-key', async (page) => {
    await signInWithApiKey(page, env);
  }));

test('sign in with a JSON Web Token; the notification says who', () =>
  env.capture('sign-in-jwt', async (page) => {
    await runCommand(page, 'Zulip: Fetch API Key from JWT');
    await answerInput(page, env.site, { title: 'organization URL' });
    await answerInput(page, env.user.jwt, { title: 'token' });
    await notification(page, `Signed in to`).filter({ hasText: `${env.user.fullName} (${env.user.email}` }).waitFor();
    await statusBarItem(page, env.user.fullName).waitFor();
  }));
