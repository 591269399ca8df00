// The extension is installed, activates, and registers every command it declares.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from './helpers';

suite('Activation', () => {
  test('the extension is present and activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    await activateExtension();
    assert.equal(extension.isActive, true);
  });

  test('every command in package.json contributes.commands is registered', async () => {
    await activateExtension();
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    // Read from the manifest, so commands added later are checked without touching this test.
    const manifest = extension?.packageJSON as { contributes?: { commands?: Array<{ command: string }> } } | undefined;
    const declared = (manifest?.contributes?.commands ?? []).map((c) => c.command);
    assert.ok(declared.length > 0, 'package.json declares no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `Declared but not registered: ${missing.join(', ')}`);
  });

  test('activate() reports how long it took, for the benchmarks', async () => {
    const api = await activateExtension();
    assert.ok(Number.isFinite(api.activationMs) && api.activationMs > 0, `activationMs is ${api.activationMs}`);
    // A number for BENCHMARKS.md (npm run bench reads it), not a timed assertion.
    const results = process.env.ZULIP_TEST_RESULTS;
    if (results) {
      const file = path.join(path.dirname(results), 'activation.json');
      fs.writeFileSync(file, JSON.stringify({ activationMs: api.activationMs, vscodeVersion: vscode.version, measuredAt: new Date().toISOString() }));
    }
  });
});
