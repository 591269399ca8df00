// Several windows of one VS Code: another window is played by a second AccountStore over this
// extension host's own globalState and SecretStorage (the stores every window shares). What it
// does must show here through SecretStorage.onDidChange, as it would from a real second window.
// Two browser pages on one code-server cannot play the two windows: each page keeps its own copy of
// the secrets and hears nothing of the other's changes (tried: nothing arrived within 90 s).
import * as assert from 'node:assert/strict';
import { AccountStore } from '../../src/model/accountStore';
import { activateExtension, ownUser, readyOrganization, removeAllAccounts, testServer, waitFor } from './helpers';
import { trial } from '../reliability/outcomes';
import { requestLog } from './serverControl';

suite('Several windows', () => {
  const server = testServer();

  test('a sign-in, a new default and a sign-out in another window show here, and this window stops polling for the signed-out account', () => trial('integration', { kind: 'fault', name: 'second-window-sign-out', layer: 'integration' }, async () => {
    const api = await activateExtension();
    await removeAllAccounts(api);
    const otherWindow = new AccountStore(api.storage.globalState, api.storage.secrets);
    try {
      const me = await ownUser(server);
      const facts = { userId: me.user_id, fullName: me.full_name, realmName: 'Zulip Dev', featureLevel: 372, zulipVersion: '10.2' };
      const account = await otherWindow.save({ site: server.site, email: server.email, ...facts }, server.apiKey);
      await readyOrganization(api, account.id);
      assert.equal(api.accounts.get(account.id)?.email, server.email);

      const spare = await otherWindow.save({ site: 'https://spare.example.invalid', email: 'spare@example.invalid', ...facts }, 'Spare0123456789abcdefABCDEF01234');
      await waitFor('the second account here', () => api.accounts.get(spare.id));
      await otherWindow.setDefault(spare.id);
      await waitFor('the new default here', () => api.accounts.defaultAccount()?.id === spare.id);

      const polls = () => requestLog(server).then((log) => log.filter((r) => r.path === '/api/v1/events' && r.authEmail === server.email).length);
      await otherWindow.remove(account.id);
      await waitFor('the account gone here', () => api.accounts.get(account.id) === undefined && api.organizations.get(account.id) === undefined);
      // A poll sent just before the sign-out may still arrive: wait until the log is quiet first.
      let settled = await polls();
      for (let i = 0; i < 10; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const now = await polls();
        if (now === settled) break;
        settled = now;
      }
      await new Promise((resolve) => setTimeout(resolve, 2500));
      assert.equal(await polls(), settled, 'no more long-polls with the signed-out key');
    } finally {
      otherWindow.dispose();
      await removeAllAccounts(api);
    }
  }));
});
