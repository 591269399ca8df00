// Records the notifications shown outside any FakeWindow (FakeWindow and NotificationSpy note
// their own), and writes them all out after the last suite for the harness's secret scan.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension } from './helpers';
import { noteShown, shownMessages, writeShownMessages } from './shownMessages';

type MessageFunction = (message: string, ...rest: unknown[]) => Thenable<unknown>;
const window = vscode.window as unknown as Record<string, MessageFunction>;
for (const [name, kind] of [
  ['showInformationMessage', 'info'],
  ['showWarningMessage', 'warning'],
  ['showErrorMessage', 'error'],
] as const) {
  const real = window[name];
  window[name] = (message: string, ...rest: unknown[]) => {
    noteShown(kind, message, rest.filter((item): item is string => typeof item === 'string'));
    return real.call(vscode.window, message, ...rest);
  };
}

// A root-level hook: after every suite of every file.
suiteTeardown(() => {
  writeShownMessages();
});

suite('Messages shown', () => {
  test('notifications are recorded for the secret scan', async () => {
    await activateExtension();
    const before = shownMessages().length;
    void vscode.window.showInformationMessage('Zulip tests: notifications are recorded.');
    assert.equal(shownMessages().length, before + 1);
    assert.match(shownMessages().at(-1) ?? '', /^info: Zulip tests: notifications are recorded\.$/);
  });
});
