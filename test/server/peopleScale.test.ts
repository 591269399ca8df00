// At benchmark scale: 100,000 members, 5,000 generated groups, a status for a third of them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIRST_GENERATED_ID } from '../../server/generate';
import { call, withServer } from './helpers';

const MEMBERS = 100_000;
const GROUPS = 5_000;
const STATUS_SHARE = 1 / 3;

test('100,000 members with 5,000 groups and statuses for a third: built, registered and listed', async () => {
  const started = performance.now();
  await withServer({ generatedMembers: MEMBERS, generatedGroups: GROUPS, generatedStatusShare: STATUS_SHARE, rateLimit: false }, async (server) => {
    const built = performance.now() - started;
    const generatedGroups = server.org.userGroups.filter((group) => group.description.startsWith('Generated group'));
    assert.equal(generatedGroups.length, GROUPS);
    const generatedHumans = [...server.org.users.values()].filter((user) => user.user_id >= FIRST_GENERATED_ID && !user.is_bot).length;
    const withStatus = [...server.org.statuses.keys()].filter((id) => id >= FIRST_GENERATED_ID).length;
    assert.ok(Math.abs(withStatus / generatedHumans - STATUS_SHARE) < 0.02, `${withStatus} of ${generatedHumans} have a status`);
    // Deactivated members keep theirs, but register sends only active members' statuses.
    const activeWithStatus = [...server.org.statuses.keys()].filter((id) => id >= FIRST_GENERATED_ID && server.org.getUser(id)?.is_active).length;

    const registerStarted = performance.now();
    const registered = await call<{ user_status: Record<string, unknown>; realm_user_groups: unknown[]; presences: Record<string, unknown> }>(server, 'POST', '/register', { form: { event_types: ['user_status', 'user_group'], fetch_event_types: ['user_status', 'realm_user_groups', 'presence'], slim_presence: true } });
    const registerMs = performance.now() - registerStarted;
    assert.equal(registered.status, 200);
    const state = registered.json!;
    assert.ok(Object.keys(state.user_status).length >= activeWithStatus, `${Object.keys(state.user_status).length} statuses sent`);
    assert.ok(state.realm_user_groups.length > GROUPS * 0.95, `${state.realm_user_groups.length} groups sent (deactivated generated ones left out)`);
    const groupsStarted = performance.now();
    const groups = await call(server, 'GET', '/user_groups');
    const groupsMs = performance.now() - groupsStarted;
    assert.equal(groups.status, 200);
    console.log(
      `scale: built in ${Math.round(built)} ms; register (statuses, groups, presence) ${Math.round(registerMs)} ms, ${(registered.text.length / 1e6).toFixed(1)} MB; ` +
        `GET /user_groups ${Math.round(groupsMs)} ms, ${(groups.text.length / 1e6).toFixed(1)} MB; ${Object.keys(state.presences).length} presences`,
    );
  });
});
