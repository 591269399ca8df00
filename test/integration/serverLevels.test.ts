// People on an older and a newer server: the repository's server answers at feature level 250
// (legacy presence keyed by email, groups without deactivation) and at 500 (simplified presence
// events, deleted accounts), and the extension shows statuses, presence and groups at each, live.
import * as assert from 'node:assert/strict';
import type { ZulipTestApi } from '../../src/extension';
import { activateExtension, removeAllAccounts, signInDirectly, testServer, waitFor } from './helpers';
import { control } from './serverControl';

const OTHELLO = 17;
const CORDELIA = 8;
/** Members seeded as last active minutes before the server started (server/seed.ts SEED_PRESENCE), one per level. */
const LAST_ACTIVE_EARLIER: Record<number, number> = { 250: 6, 500: 8 };
const CURRENT_LEVEL = 372;

suite('Older and newer servers', function () {
  this.timeout(60_000);
  const server = testServer();
  let api: ZulipTestApi;

  suiteSetup(async () => {
    api = await activateExtension();
  });

  suiteTeardown(async () => {
    await control(server, 'settings', { feature_level: CURRENT_LEVEL });
    await removeAllAccounts(api);
  });

  for (const level of [250, 500]) {
    test(`at feature level ${level}: statuses, presence and groups show, and follow the server`, async () => {
      await control(server, 'settings', { feature_level: level });
      // What the registration is to bring (other suites may have changed the seeded ones).
      const initialStatus = `Before level ${level} ${Date.now()}`;
      await control(server, 'set-status', { user_id: OTHELLO, status_text: initialStatus });
      const initialGroup = await control<{ group_id: number }>(server, 'create-group', { name: `before-level-${level}`, description: 'There at sign-in', members: [OTHELLO] });
      try {
        await removeAllAccounts(api);
        const { org } = await signInDirectly(api, server);
        assert.equal(org.featureLevel, level, 'the level the server says');
        // Initial state from the registration, in that level's shapes.
        await waitFor("Othello's status", () => org.statuses.get(OTHELLO)?.text === initialStatus);
        await waitFor('the groups', () => org.groupStore.get(initialGroup.group_id)?.members.includes(OTHELLO));
        // Live: a status, presence and a group change.
        const text = `Level ${level} ${Date.now()}`;
        await control(server, 'set-status', { user_id: CORDELIA, status_text: text });
        await waitFor("Cordelia's new status", () => org.statuses.get(CORDELIA)?.text === text);
        // A member last active a quarter of an hour before the server started comes back.
        const away = LAST_ACTIVE_EARLIER[level];
        assert.notEqual(org.presence.stateOf(org.members.get(away)!), 'active');
        await control(server, 'set-presence', { user_id: away, status: 'active' });
        await waitFor('the member active', () => org.presence.stateOf(org.members.get(away)!) === 'active');
        const created = await control<{ group_id: number }>(server, 'create-group', { name: `level-${level}`, description: 'Made live', members: [CORDELIA] });
        await waitFor('the new group', () => org.groupStore.get(created.group_id));
        await control(server, 'remove-group', { group_id: created.group_id });
        await control(server, 'set-status', { user_id: CORDELIA, status_text: '' });
        assert.equal(org.state.kind, 'ready');
      } finally {
        await control(server, 'settings', { feature_level: CURRENT_LEVEL });
        await control(server, 'set-status', { user_id: OTHELLO, status_text: '' });
        await control(server, 'remove-group', { group_id: initialGroup.group_id });
      }
    });
  }
});
