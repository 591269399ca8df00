// The reliability holes of the model, tried against the running extension in VS Code: a listener
// that throws, an event that cannot be applied, a 4xx from the event queue that will not change,
// and two overlapping opens of one account. Each keeps the organization usable and loses nothing.
import * as assert from 'node:assert/strict';
import type { ZulipTestApi } from '../../src/extension';
import type { Organization } from '../../src/model/organization';
import { trial } from '../reliability/outcomes';
import { activateExtension, ownUser, readyOrganization, removeAllAccounts, signInDirectly, testServer, waitFor } from './helpers';
import { clearFaults, control, pushFault, requestLog } from './serverControl';

suite('Reliability holes in the running extension', function () {
  this.timeout(60_000);
  const server = testServer();
  let api: ZulipTestApi;
  let org: Organization;
  const added: number[] = [];

  suiteSetup(async () => {
    api = await activateExtension();
    await removeAllAccounts(api);
    ({ org } = await signInDirectly(api, server));
  });

  suiteTeardown(async () => {
    await clearFaults(server);
    for (const id of added) await control(server, 'remove-user', { user_id: id });
    await removeAllAccounts(api);
  });

  async function addMember(fullName: string): Promise<number> {
    const { user_id } = await control<{ user_id: number }>(server, 'add-user', { full_name: fullName });
    added.push(user_id);
    return user_id;
  }

  test('a listener that throws stops no other listener, and the organization stays ready', () =>
    trial('integration', { kind: 'fault', name: 'listener-throws', layer: 'integration' }, async () => {
      const broken = org.onDidChangeMembers(() => {
        throw new Error('broken view');
      });
      try {
        const [a, b] = [await addMember(`Listener One ${Date.now()}`), await addMember(`Listener Two ${Date.now()}`)];
        await control(server, 'update-user', { user_id: a, change: { full_name: 'Listener Renamed One' } });
        await control(server, 'update-user', { user_id: b, change: { full_name: 'Listener Renamed Two' } });
        await waitFor('both renames', () => org.members.get(a)?.full_name === 'Listener Renamed One' && org.members.get(b)?.full_name === 'Listener Renamed Two');
        // The Members view heard them too.
        const label = () => {
          const item = api.members.provider.getTreeItem(api.members.provider.model.memberNode(org.id, b));
          return typeof item.label === 'string' ? item.label : item.label?.label;
        };
        await waitFor('the tree to follow', () => label()?.includes('Listener Renamed Two'));
        assert.equal(org.state.kind, 'ready', 'a view failing is no network failure');
      } finally {
        broken.dispose();
      }
    }));

  test('an event that cannot be applied is skipped; the rest of its batch applies', () =>
    trial('integration', { kind: 'fault', name: 'event-cannot-apply', layer: 'integration' }, async () => {
      // A shape this version does not know, as a newer server might send it, then a good one.
      const someone = (await control<{ user_id: number }>(server, 'add-user', { full_name: `Batch Person ${Date.now()}` })).user_id;
      added.push(someone);
      await waitFor('the new member', () => org.members.get(someone));
      org.applyEvents([{ id: 0, type: 'realm_user', op: 'update', person: null }, { id: 0, type: 'realm_user', op: 'update', person: { user_id: someone, full_name: 'Batch Person Renamed' } }]);
      assert.equal(org.members.get(someone)?.full_name, 'Batch Person Renamed');
      assert.equal(org.state.kind, 'ready');
      // Live updates still flow.
      await control(server, 'update-user', { user_id: someone, change: { full_name: 'Batch Person Live' } });
      await waitFor('a live update after it', () => org.members.get(someone)?.full_name === 'Batch Person Live');
    }));

  test('a 4xx from the event queue is final: polling stops, the list stays, Refresh starts it again', () =>
    trial('integration', { kind: 'fault', name: 'permanent-4xx', layer: 'integration' }, async () => {
      const polls = async () => (await requestLog(server)).filter((r) => r.path === '/api/v1/events' && r.method === 'GET' && r.authEmail === server.email).length;
      await pushFault(server, { kind: 'status', status: 400, body: { result: 'error', msg: 'Invalid narrow', code: 'BAD_REQUEST' } }, 50, '/events');
      try {
        // An event ends the long-poll in progress; the next one meets the fault.
        await addMember(`Wake Up ${Date.now()}`);
        await waitFor('the final error', () => org.state.kind === 'stale' && /Invalid narrow/.test(org.state.reason), 30_000);
        const settled = await polls();
        await new Promise((resolve) => setTimeout(resolve, 2000));
        assert.ok((await polls()) - settled <= 1, 'no retries of an answer that will not change');
        assert.ok(org.members.size > 20, 'the list stays');
      } finally {
        await clearFaults(server);
      }
      await org.refresh();
      assert.equal(org.state.kind, 'ready');
      const someone = await addMember(`After Retry ${Date.now()}`);
      await waitFor('live updates again', () => org.members.get(someone));
    }));

  test('two overlapping opens of one account leave one organization and one event queue', () =>
    trial('integration', { kind: 'fault', name: 'overlapping-opens', layer: 'integration' }, async () => {
      await removeAllAccounts(api);
      const me = await ownUser(server);
      const facts = { site: server.site, email: server.email, userId: me.user_id, fullName: me.full_name, realmName: 'Zulip Dev', featureLevel: 372, zulipVersion: '10.2' };
      const queues = async () => ((await control<{ queues?: number }>(server, 'state')).queues ?? -1);
      const before = await queues();
      // Signing in twice at once (two commands, or a sign-in racing another window's).
      const [first] = await Promise.all([api.accounts.save(facts, server.apiKey), api.accounts.save(facts, server.apiKey)]);
      try {
        await readyOrganization(api, first.id);
        await waitFor('one queue for the account', async () => (await queues()) === before + 1 && api.organizations.list().length === 1, 20_000);
        // Whichever open's organization stayed, it hears the server.
        const someone = await addMember(`Overlap ${Date.now()}`);
        await waitFor('live updates', () => api.organizations.get(first.id)?.members.get(someone), 30_000);
        org = api.organizations.get(first.id)!;
      } finally {
        // Later suites start from no account, with nothing of this one left polling.
        await removeAllAccounts(api);
        await waitFor('no organization left', () => api.organizations.list().length === 0);
      }
    }));
});
