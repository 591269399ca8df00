// API keys live in VS Code's SecretStorage: saved, read back, and deleted at sign-out.
import * as assert from 'node:assert/strict';
import { activateExtension, removeAllAccounts } from './helpers';

suite('SecretStorage', () => {
  test('an account key survives a save and is gone after remove', async () => {
    const api = await activateExtension();
    await removeAllAccounts(api);
    const key = 'RoundTrip0123456789abcdefABCDEF0';
    const saved = await api.accounts.save(
      {
        site: 'https://roundtrip.example.invalid',
        email: 'round.trip@example.invalid',
        userId: 4242,
        fullName: 'Round Trip',
        realmName: 'Round Trip Org',
        featureLevel: 400,
        zulipVersion: '10.2',
      },
      key,
    );
    assert.equal(await api.accounts.getApiKey(saved.id), key);
    assert.deepEqual(api.accounts.get(saved.id)?.fullName, 'Round Trip');
    // The key is never copied into the account record (globalState is not secret).
    assert.ok(!JSON.stringify(api.accounts.list()).includes(key), 'the API key leaked into the account list');

    await api.accounts.remove(saved.id);
    assert.equal(await api.accounts.getApiKey(saved.id), undefined);
    assert.equal(api.accounts.get(saved.id), undefined);
  });
});
