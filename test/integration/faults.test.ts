// Every fault of test/reliability/faultCatalog.ts against the extension in real VS Code, the way
// it meets them: on a burst of refreshes and on the event queue's long-poll. Each must give one
// clear message and no storm of notifications (they are counted), retry with backoff where that
// makes sense, lose nothing (a change made on the server meanwhile still arrives), keep the API
// key in SecretStorage, and come back by itself. A 401 asks for sign-in once and offers it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ZulipTestApi } from '../../src/extension';
import type { Account } from '../../src/model/accountStore';
import type { Organization, OrganizationState } from '../../src/model/organization';
import { ANSWER_FAULTS, faultCase, type FaultCase } from '../reliability/faultCatalog';
import { startForeignHost, type ForeignHost } from '../reliability/foreignHost';
import { trial } from '../reliability/outcomes';
import { activateExtension, FakeWindow, readyOrganization, removeAllAccounts, signInDirectly, testServer, type TestServer, waitFor } from './helpers';
import { clearFaults, control, NotificationSpy, pushFault, requestLog, serverBack } from './serverControl';

const CORDELIA = 8;
/** Each refresh burst: as many refreshes as a person clicking Refresh a few times. */
const BURST = 3;

suite('Faults survived', function () {
  this.timeout(60_000);
  let api: ZulipTestApi;
  let server: TestServer;
  let account: Account;
  let foreign: ForeignHost;
  let fake: FakeWindow;
  let spy: NotificationSpy;
  let zone = 0;

  suiteSetup(async () => {
    api = await activateExtension();
    server = testServer();
    await removeAllAccounts(api);
    // The suite makes more requests than Zulip's 200 a minute; a stall should not take 30 s.
    await control(server, 'settings', { rate_limit: false });
    await vscode.workspace.getConfiguration('zulip').update('requestTimeoutSeconds', 3, vscode.ConfigurationTarget.Global);
    ({ account } = await signInDirectly(api, server));
    foreign = await startForeignHost();
    await vscode.commands.executeCommand('workbench.view.extension.zulip');
  });

  suiteTeardown(async () => {
    await clearFaults(server);
    await control(server, 'settings', { rate_limit: { limit: 200, window_seconds: 60 } });
    await vscode.workspace.getConfiguration('zulip').update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await removeAllAccounts(api);
    await foreign?.close();
  });

  setup(async () => {
    fake = new FakeWindow();
    spy = new NotificationSpy(vscode.window);
    await control(server, 'reset-requests', {});
  });

  teardown(async () => {
    spy.restore();
    fake.restore();
    await clearFaults(server);
  });

  const org = (): Organization => api.organizations.get(account.id)!;

  function survives(id: string, body: () => Promise<void>): Promise<void> {
    return trial('integration', { kind: 'fault', name: id, layer: 'integration' }, body);
  }

  function faultOf(c: FaultCase, endpoint: string): NonNullable<FaultCase['fault']> {
    return c.fault ?? { kind: 'redirect', location: `${foreign.url}/api/v1${endpoint}` };
  }

  /** The kinds of state passed through; a stale state whose reason changed counts once. */
  const kinds = (states: OrganizationState[]) => states.map((s) => s.kind).filter((kind, i, all) => kind !== all[i - 1]);

  /** The msg of a catalogued 401's body: what the notification must repeat. */
  const serverMsg = (c: FaultCase) => String((c.fault as unknown as { body: { msg: string } }).body.msg);

  const memberIds = (o: Organization) => [...o.members.all()].map((m) => m.user_id).sort((a, b) => a - b);

  /** What the Members tree shows for the organization: the root row's description and first child. */
  function treeNow(): { context?: string; description?: string; first?: string; tooltip?: string } {
    const provider = api.members.provider;
    const root = provider.getChildren()[0];
    if (!root) return {};
    const item = provider.getTreeItem(root);
    const firstNode = provider.getChildren(root)[0];
    const first = firstNode ? provider.getTreeItem(firstNode) : undefined;
    const label = first?.label;
    return {
      context: item.contextValue,
      description: typeof item.description === 'string' ? item.description : undefined,
      first: typeof label === 'string' ? label : label?.label,
      tooltip: typeof first?.tooltip === 'string' ? first.tooltip : first?.tooltip?.value,
    };
  }

  /** Every state the organization passes through, with what the tree showed at that moment. */
  function watchStates(o: Organization): { states: OrganizationState[]; trees: ReturnType<typeof treeNow>[]; dispose(): void } {
    const states: OrganizationState[] = [];
    const trees: ReturnType<typeof treeNow>[] = [];
    const sub = o.onDidChangeState((state) => {
      states.push(state);
      trees.push(treeNow());
    });
    return { states, trees, dispose: () => sub.dispose() };
  }

  /** A change made on the server: it must reach the extension whatever failed meanwhile. */
  async function changeOnServer(): Promise<string> {
    const timezone = ['Asia/Tokyo', 'Europe/Oslo', 'America/Lima', 'Africa/Nairobi'][zone++ % 4];
    await control(server, 'update-user', { user_id: CORDELIA, change: { timezone } });
    return timezone;
  }

  async function keyKept(): Promise<void> {
    assert.equal(await api.accounts.getApiKey(account.id), server.apiKey, 'the API key is still in SecretStorage');
    assert.ok(api.accounts.get(account.id), 'the account is still there');
  }

  function noSecretShown(): void {
    for (const m of spy.shown) assert.ok(!m.message.includes(server.apiKey), `a notification shows the key: ${m.message}`);
  }

  async function refreshBurst(): Promise<void> {
    for (let i = 0; i < BURST; i++) await vscode.commands.executeCommand('zulip.members.refresh');
  }

  // ---- Answers that fail for a while: the list stays, marked, and comes back by itself ----

  for (const c of ANSWER_FAULTS.filter((f) => f.expect === 'transient' && !f.id.startsWith('429'))) {
    test(`${c.name}, on a burst of refreshes: the last good list stays, marked stale, no notification, back by itself`, () =>
      survives(c.id, async () => {
        const o = org();
        const before = memberIds(o);
        assert.ok(await foreign.probe(), 'the other host answers at its URL');
        const watch = watchStates(o);
        try {
          await pushFault(server, faultOf(c, '/users'), BURST, '/users');
          await refreshBurst();
          const stale = watch.states.findIndex((s) => s.kind === 'stale');
          assert.ok(stale >= 0, `went stale: ${JSON.stringify(watch.states)}`);
          const state = watch.states[stale];
          assert.match(state.kind === 'stale' ? state.reason : '', c.message);
          assert.equal(watch.trees[stale].description, 'offline — showing saved members');
          assert.match(watch.trees[stale].first ?? '', /^Retry connecting to 127\.0\.0\.1:\d+$/);
          assert.match(watch.trees[stale].tooltip ?? '', c.message, 'the reason is on the Retry row');
          assert.deepEqual(memberIds(o), before, 'the last good list is still shown');
          const timezone = await changeOnServer();
          await waitFor('the organization to recover by itself', () => o.state.kind === 'ready', 20_000);
          assert.deepEqual(memberIds(o), before, 'nothing lost');
          await waitFor('the change made meanwhile', () => o.members.get(CORDELIA)?.timezone === timezone);
          const attempts = (await requestLog(server)).filter((r) => r.path === '/api/v1/users');
          assert.equal(attempts.filter((r) => r.fault).length, BURST);
          const lastFailure = attempts.filter((r) => r.fault).at(-1)!;
          const retry = attempts[attempts.indexOf(lastFailure) + 1];
          assert.ok(retry && retry.at! - lastFailure.at! >= 500, `the retry came after a backoff (${retry ? retry.at! - lastFailure.at! : '-'} ms)`);
          assert.deepEqual(spy.shown, [], 'no notification for a server that is away for a while');
          assert.deepEqual(foreign.seen, [], 'no request, so no Authorization header, reached the other host');
          await keyKept();
        } finally {
          watch.dispose();
        }
      }));
  }

  for (const c of ANSWER_FAULTS.filter((f) => f.expect === 'transient' && f.id !== 'stall' && !f.id.startsWith('429'))) {
    test(`${c.name}, on the event queue: stale, backoff between retries, back by itself, the change made meanwhile arrives`, () =>
      survives(c.id, async () => {
        const o = org();
        const watch = watchStates(o);
        try {
          await pushFault(server, faultOf(c, '/events'), 2, '/events');
          // An event ends the waiting long-poll; the next polls meet the fault. More events keep
          // the polls answering at once (a truncated answer is the answer to a poll).
          await waitFor('the stale state', async () => {
            await changeOnServer();
            await new Promise((r) => setTimeout(r, 150));
            return o.state.kind === 'stale';
          });
          assert.match(o.state.kind === 'stale' ? o.state.reason : '', c.message);
          const timezone = await changeOnServer();
          await waitFor('the organization to recover by itself', () => o.state.kind === 'ready', 20_000);
          await waitFor('the change made during the fault', () => o.members.get(CORDELIA)?.timezone === timezone);
          const polls = (await requestLog(server)).filter((r) => r.path === '/api/v1/events');
          const failed = polls.filter((r) => r.fault);
          assert.equal(failed.length, 2);
          const gaps = failed.map((f) => polls[polls.indexOf(f) + 1].at! - f.at!);
          // Jitter keeps each wait between half and all of its step: 1 s, then 2 s.
          assert.ok(gaps[0] >= 500 && gaps[1] >= 1000, `backoff between retries: ${gaps.join(', ')} ms`);
          assert.deepEqual(kinds(watch.states), ['stale', 'ready'], 'stale until it recovered, then ready: no flapping');
          assert.deepEqual(spy.shown, []);
          assert.deepEqual(foreign.seen, []);
          await keyKept();
        } finally {
          watch.dispose();
        }
      }));
  }

  // ---- Rate limits: wait as asked, then go on ----

  for (const c of ANSWER_FAULTS.filter((f) => f.id.startsWith('429'))) {
    test(`${c.name}: waits as asked and tries again, on a refresh and on the event queue; nothing shown`, () =>
      survives(c.id, async () => {
        const o = org();
        const watch = watchStates(o);
        const wait = Number((c.fault as { headers: Record<string, string> }).headers['Retry-After']);
        try {
          await pushFault(server, c.fault!, 1, '/users');
          await vscode.commands.executeCommand('zulip.members.refresh');
          await pushFault(server, c.fault!, 1, '/events');
          // The first change ends the waiting poll; the next poll is limited; the second change
          // can only arrive through the poll after the wait.
          const first = await changeOnServer();
          await waitFor('the first change', () => o.members.get(CORDELIA)?.timezone === first);
          const timezone = await changeOnServer();
          await waitFor('the second change, after the poll waited', () => o.members.get(CORDELIA)?.timezone === timezone);
          const log = await requestLog(server);
          for (const endpoint of ['/api/v1/users', '/api/v1/events']) {
            const requests = log.filter((r) => r.path === endpoint);
            const limited = requests.find((r) => r.fault);
            assert.ok(limited, `${endpoint} met the 429`);
            const next = requests[requests.indexOf(limited) + 1];
            const times = requests.map((r) => `${r.fault ?? 'ok'}@${r.at! - requests[0].at!}`).join(' ');
            assert.ok(next && next.at! - limited.at! >= wait * 1000 - 50, `${endpoint} waited Retry-After (${wait} s): ${times}`);
          }
          assert.deepEqual(watch.states, [], 'a rate limit answered by waiting is nothing to show');
          assert.deepEqual(spy.shown, []);
          await keyKept();
        } finally {
          watch.dispose();
        }
      }));
  }

  // ---- Harmless oddities ----

  test('the wrong content type (JSON labelled text/html) is read as the JSON it is', () =>
    survives('wrong-content-type', async () => {
      const o = org();
      const before = memberIds(o);
      const watch = watchStates(o);
      try {
        await pushFault(server, faultCase('wrong-content-type').fault!, BURST, '/users');
        await refreshBurst();
        await pushFault(server, faultCase('wrong-content-type').fault!, 1, '/events');
        const timezone = await changeOnServer();
        await waitFor('the change', () => o.members.get(CORDELIA)?.timezone === timezone);
        assert.equal((await requestLog(server)).filter((r) => r.fault).length, BURST + 1);
        assert.deepEqual(watch.states, []);
        assert.deepEqual(memberIds(o), before);
        assert.deepEqual(spy.shown, []);
        await keyKept();
      } finally {
        watch.dispose();
      }
    }));

  test('BAD_EVENT_QUEUE_ID: registered again and refetched at once, nothing shown, nothing lost', () =>
    survives('bad-event-queue-id', async () => {
      const o = org();
      const watch = watchStates(o);
      try {
        await control(server, 'expire-queues', {});
        await waitFor('a new queue and a refetch', async () => {
          const log = await requestLog(server);
          const registered = log.findIndex((r) => r.path === '/api/v1/register');
          return registered >= 0 && log.slice(registered).some((r) => r.path === '/api/v1/users');
        });
        const timezone = await changeOnServer();
        await waitFor('the change, through the new queue', () => o.members.get(CORDELIA)?.timezone === timezone);
        assert.deepEqual(watch.states, [], 'the list never looked stale');
        assert.deepEqual(spy.shown, []);
        await keyKept();
      } finally {
        watch.dispose();
      }
    }));

  test('the server restarting during a long-poll: stale while it is away, back by itself, nothing lost', () =>
    survives('restart-during-long-poll', async () => {
      const o = org();
      const before = memberIds(o);
      const watch = watchStates(o);
      try {
        // Gone for 3 s, queues lost as after a long restart.
        await control(server, 'outage', { seconds: 3, drop_queues: true });
        await waitFor('the stale state', () => o.state.kind === 'stale');
        assert.match(o.state.kind === 'stale' ? o.state.reason : '', faultCase('restart-during-long-poll').message);
        assert.deepEqual(memberIds(o), before);
        await serverBack(server);
        const timezone = await changeOnServer();
        await waitFor('the organization to recover by itself', () => o.state.kind === 'ready', 30_000);
        await waitFor('the change made after the restart', () => o.members.get(CORDELIA)?.timezone === timezone);
        assert.deepEqual(memberIds(o), before);
        assert.deepEqual(kinds(watch.states), ['stale', 'ready'], 'stale until it recovered, then ready: no flapping');
        assert.deepEqual(spy.shown, [], 'no notification while the server restarts');
        await keyKept();
      } finally {
        watch.dispose();
      }
    }));

  // ---- Refused credentials: one notification offering sign-in; the key stays ----

  for (const c of ANSWER_FAULTS.filter((f) => f.expect === 'needsSignIn')) {
    test(`${c.name}, on a burst of refreshes: one notification with Sign In, the key kept; Sign In brings the members back`, () =>
      survives(c.id, async () => {
        const o = org();
        // Profile fields: a request of every refresh that signing in does not make.
        await pushFault(server, c.fault!, BURST, '/realm/profile_fields');
        await refreshBurst();
        assert.equal(o.state.kind, 'needsSignIn');
        assert.match(o.state.kind === 'needsSignIn' ? o.state.reason : '', c.message, 'the server\'s reason is kept');
        await waitFor('the account marked', () => api.accounts.get(account.id)?.needsSignIn === true);
        await new Promise((r) => setTimeout(r, 300));
        const host = new URL(server.site).host;
        assert.deepEqual(
          spy.shown.map((m) => [m.kind, m.message, m.items]),
          [['warning', `${host} no longer accepts the key for ${server.email}: ${serverMsg(c).replace(/\.$/, '')}.`, ['Sign In']]],
          'exactly one notification over the burst, with the server\'s reason',
        );
        assert.equal(treeNow().context, 'org.needsSignIn');
        assert.equal(treeNow().first, 'Sign in again');
        await keyKept();
        noSecretShown();
        // The offer: Sign In → how → the three boxes; the key is replaced by a successful sign-in.
        fake.answerPick((label) => label.includes('Sign In with API Key')).answerInputs(server.site, server.email, server.apiKey);
        spy.shown[0].press('Sign In');
        await readyOrganization(api, account.id, o);
        fake.assertAllAnswered();
        assert.equal(api.accounts.get(account.id)?.needsSignIn, undefined);
        assert.ok(spy.of('info').some((m) => m.message.startsWith('Signed in to')));
        assert.deepEqual(spy.of('warning').length, 1);
        await keyKept();
      }));

    test(`${c.name}, on the event queue: the queue stops asking, one notification; the Sign in again row brings it back`, () =>
      survives(c.id, async () => {
        const o = org();
        await pushFault(server, c.fault!, 5, '/events');
        await changeOnServer();
        await waitFor('the needsSignIn state', () => o.state.kind === 'needsSignIn');
        await new Promise((r) => setTimeout(r, 1500));
        const polls = (await requestLog(server)).filter((r) => r.path === '/api/v1/events');
        assert.equal(polls.filter((r) => r.fault).length, 1, 'no retry with refused credentials');
        assert.equal(spy.shown.length, 1);
        assert.ok(spy.shown[0].message.endsWith(`no longer accepts the key for ${server.email}: ${serverMsg(c).replace(/\.$/, '')}.`), spy.shown[0].message);
        await keyKept();
        await clearFaults(server);
        fake.answerPick((label) => label.includes('Sign In with API Key')).answerInputs(server.site, server.email, server.apiKey);
        await vscode.commands.executeCommand('zulip.members.signInAgain', { accountId: account.id });
        await readyOrganization(api, account.id, o);
        fake.assertAllAnswered();
        await keyKept();
      }));
  }

  // ---- The last good list on disk ----

  test('the last good list is cached on disk without secrets; Sign Out deletes it', async () => {
    const o = org();
    const folder = o.cacheFolder!;
    const file = path.join(folder, 'members-v2.jsonl');
    await waitFor('the cache file', () => fs.existsSync(file));
    const cached = fs.readFileSync(file, 'utf8');
    assert.ok(cached.includes('"full_name"'), 'the members are there');
    assert.ok(!cached.includes(server.apiKey), 'no key in the cache');
    assert.ok(!cached.includes(server.jwt), 'no token in the cache');
    await vscode.commands.executeCommand('zulip.signOut', account.id);
    await waitFor('the cache to be deleted', () => !fs.existsSync(folder));
    assert.equal(await api.accounts.getApiKey(account.id), undefined, 'Sign Out removes the key');
    ({ account } = await signInDirectly(api, server));
  });
});
