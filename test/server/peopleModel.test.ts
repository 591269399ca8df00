// The pure rules behind presence, user status and user groups, tested directly.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Clock } from '../../server/clock';
import { demoStep, DEMO_PRESENCE_USER_ID, DEMO_STATUS_USER_ID } from '../../server/demoActivity';
import { FEATURE } from '../../server/features';
import { groupForApi, SYSTEM_GROUP } from '../../server/groups';
import {
  applyPresenceReport,
  legacyPresence,
  modernPresence,
  OFFLINE_THRESHOLD_SECONDS,
  PRESENCE_UPDATE_MIN_FREQ_SECONDS,
  shownPresence,
  type PresenceRow,
} from '../../server/presence';
import { ApiError } from '../../server/reply';
import { buildOrg, defaultRealm } from '../../server/seed';
import { checkStatusRequest, formatStatus, type RealmEmojiRecord } from '../../server/userStatus';

const T = 1_700_000_000;
const JOINED = 1_600_000_000;

function row(lastActive: number | null, lastConnected: number, lastUpdateId = 1): PresenceRow {
  return { lastActive, lastConnected, lastUpdateId };
}

describe('presence rules (zerver/actions/presence.py, zerver/lib/presence.py)', () => {
  test('a first report creates the row and notifies; an idle one leaves last active unset', () => {
    assert.deepEqual(applyPresenceReport(undefined, 'active', T, 7), { row: row(T, T, 7), changed: true, notify: true });
    assert.deepEqual(applyPresenceReport(undefined, 'idle', T, 8).row, row(null, T, 8));
  });

  test('reports closer together than the minimum interval change nothing', () => {
    const first = row(T, T, 3);
    const soon = applyPresenceReport(first, 'active', T + PRESENCE_UPDATE_MIN_FREQ_SECONDS, 4);
    assert.equal(soon.changed, false);
    assert.equal(soon.row, first);
    const later = applyPresenceReport(first, 'active', T + 60, 4);
    assert.deepEqual(later, { row: row(T + 60, T + 60, 4), changed: true, notify: false }, 'still online: no event');
  });

  test('idle reports move only last connected; coming back after a while notifies', () => {
    const idle = applyPresenceReport(row(T, T), 'idle', T + 300, 2);
    assert.deepEqual(idle.row, row(T, T + 300, 2));
    assert.equal(idle.notify, false);
    const back = applyPresenceReport(idle.row, 'active', T + 600, 3);
    assert.deepEqual(back, { row: row(T + 600, T + 600, 3), changed: true, notify: true });
  });

  test('legacy form: active when last active is within 70 s of last connected, else idle at last connected', () => {
    assert.deepEqual(legacyPresence(row(T, T + 70), JOINED), { client: 'website', status: 'active', timestamp: T, pushable: false });
    assert.deepEqual(legacyPresence(row(T, T + 71), JOINED), { client: 'website', status: 'idle', timestamp: T + 71, pushable: false });
    assert.deepEqual(modernPresence(row(null, T), JOINED), { active_timestamp: JOINED, idle_timestamp: T }, 'never active: the join date');
  });

  test('what a client shows: active, idle or offline by the threshold', () => {
    assert.equal(shownPresence(row(T, T), JOINED, T + OFFLINE_THRESHOLD_SECONDS), 'active');
    assert.equal(shownPresence(row(T - 600, T), JOINED, T + 10), 'idle');
    assert.equal(shownPresence(row(T, T), JOINED, T + OFFLINE_THRESHOLD_SECONDS + 1), 'offline');
  });

  test('the clock moves and comes back', () => {
    const clock = new Clock();
    const before = clock.unix();
    clock.advance(3600);
    assert.ok(clock.unix() - before >= 3600 && clock.unix() - before <= 3601);
    clock.set(T);
    assert.equal(clock.unix(), T);
    clock.reset();
    assert.ok(Math.abs(clock.seconds() - Date.now() / 1000) < 1);
    assert.throws(() => clock.advance(Number.NaN), RangeError);
  });
});

describe('user status rules (zerver/lib/user_status.py)', () => {
  const emoji: RealmEmojiRecord[] = [
    { id: '1', name: 'green_tick', author_id: 5, deactivated: false },
    { id: '3', name: 'old_logo', author_id: null, deactivated: true },
  ];
  const message = (body: () => unknown): string => {
    try {
      body();
    } catch (error) {
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 400);
      return error.message;
    }
    assert.fail('no error');
  };

  test('an emoji name alone finds its code and type, custom emoji first', () => {
    assert.deepEqual(checkStatusRequest({ emoji_name: 'car' }, emoji), { status_text: undefined, emoji_name: 'car', emoji_code: '1f697', reaction_type: 'unicode_emoji' });
    assert.deepEqual(checkStatusRequest({ emoji_name: 'green_tick' }, emoji).reaction_type, 'realm_emoji');
    assert.deepEqual(checkStatusRequest({ emoji_name: 'zulip' }, emoji).emoji_code, 'zulip');
  });

  test('an empty name clears the emoji; text is trimmed', () => {
    assert.deepEqual(checkStatusRequest({ emoji_name: '', status_text: '  lunch  ' }, emoji), {
      status_text: 'lunch',
      emoji_name: '',
      emoji_code: '',
      reaction_type: 'unicode_emoji',
    });
  });

  test("Zulip's errors, word for word", () => {
    assert.equal(message(() => checkStatusRequest({}, emoji)), 'Client did not pass any new values.');
    assert.equal(message(() => checkStatusRequest({ status_text: 'x'.repeat(61) }, emoji)), 'status_text is too long (limit: 60 characters)');
    assert.equal(message(() => checkStatusRequest({ status_text: 'x', emoji_code: '1f697' }, emoji)), 'Client must pass emoji_name if they pass either emoji_code or reaction_type.');
    assert.equal(message(() => checkStatusRequest({ emoji_name: 'invalid' }, emoji)), "Emoji 'invalid' does not exist");
    assert.equal(message(() => checkStatusRequest({ emoji_name: 'car', emoji_code: 'fffff', reaction_type: 'unicode_emoji' }, emoji)), 'Invalid emoji code.');
    assert.equal(message(() => checkStatusRequest({ emoji_name: 'house', emoji_code: '1f697', reaction_type: 'unicode_emoji' }, emoji)), 'Invalid emoji name.');
    assert.equal(message(() => checkStatusRequest({ emoji_name: 'x', emoji_code: '42', reaction_type: 'realm_emoji' }, emoji)), 'Invalid custom emoji.');
    assert.equal(message(() => checkStatusRequest({ emoji_name: 'x', emoji_code: '1', reaction_type: 'realm_emoji' }, emoji)), 'Invalid custom emoji name.');
    assert.equal(message(() => checkStatusRequest({ emoji_name: 'old_logo', emoji_code: '3', reaction_type: 'realm_emoji' }, emoji)), 'This custom emoji has been deactivated.');
    assert.equal(message(() => checkStatusRequest({ emoji_name: 'car', emoji_code: '1f697', reaction_type: 'sticker' }, emoji)), 'Invalid emoji type.');
  });

  test('60 characters are counted as characters, not UTF-16 units', () => {
    assert.equal(checkStatusRequest({ status_text: '🏖'.repeat(60) }, emoji).status_text, '🏖'.repeat(60));
  });

  test('formatted: only what is set; away only when presence is off; no emoji below level 86', () => {
    const status = { status_text: 'On leave', emoji_name: 'car', emoji_code: '1f697', reaction_type: 'unicode_emoji' as const };
    assert.deepEqual(formatStatus(status, true, FEATURE.SERVER_10_2), status);
    assert.deepEqual(formatStatus(status, false, FEATURE.SERVER_10_2), { away: true, ...status });
    assert.deepEqual(formatStatus(status, true, FEATURE.STATUS_EMOJI - 1), { status_text: 'On leave' });
    assert.deepEqual(formatStatus(undefined, true, FEATURE.SERVER_10_2), {});
  });
});

describe('user groups by feature level', () => {
  const orgAt = (level: number) => buildOrg({ seed: 'groups', generatedMembers: 0, realm: defaultRealm(level, 'Zulip Dev') });

  test('10.2: every setting, anonymous group values, deactivated and the creator', () => {
    const org = orgAt(FEATURE.SERVER_10_2);
    const backend = groupForApi(org, org.requireGroup(10));
    assert.deepEqual(backend.can_mention_group, { direct_members: [11], direct_subgroups: [6] });
    assert.equal(backend.deactivated, false);
    assert.equal(backend.creator_id, 11);
    assert.deepEqual(backend.direct_subgroup_ids, [9]);
    for (const name of ['can_add_members_group', 'can_join_group', 'can_leave_group', 'can_manage_group', 'can_remove_members_group']) assert.ok(name in backend, name);
  });

  test('older levels: no later settings, can_mention_group an id, can_mention_group_id before 198', () => {
    const at250 = orgAt(250);
    const backend = groupForApi(at250, at250.requireGroup(10));
    assert.equal(backend.can_mention_group, SYSTEM_GROUP.everyone, 'no anonymous groups before 258');
    for (const name of ['deactivated', 'creator_id', 'date_created', 'can_manage_group', 'can_join_group']) assert.ok(!(name in backend), name);
    const at195 = orgAt(195);
    const old = groupForApi(at195, at195.requireGroup(9));
    assert.equal(old.can_mention_group_id, SYSTEM_GROUP.everyone);
    assert.ok(!('can_mention_group' in old));
    const at130 = orgAt(130);
    assert.ok(!('direct_subgroup_ids' in groupForApi(at130, at130.requireGroup(9))));
  });

  test('members: deactivated users left out from 303, listed before', () => {
    const villains = 11;
    const modern = orgAt(FEATURE.SERVER_10_2);
    assert.deepEqual(groupForApi(modern, modern.requireGroup(villains)).members, [11, 16, 9]);
    const old = orgAt(FEATURE.GROUP_MEMBERS_ACTIVE_ONLY - 1);
    assert.deepEqual(groupForApi(old, old.requireGroup(villains)).members, [11, 16, 9, 15]);
  });

  test('subgroups are followed transitively, and cycles are refused', () => {
    const org = orgAt(FEATURE.SERVER_10_2);
    assert.deepEqual([...org.allSubgroups(14)].sort((a, b) => a - b), [9, 10, 13]);
    assert.deepEqual(org.recursiveGroupMembers(org.requireGroup(14)), [5, 6, 8, 10, 11, 12, 14, 17, 18]);
    assert.throws(() => org.addSubgroups(9, [14]), /cannot be a subgroup of itself/);
  });
});

describe('demo activity', () => {
  test('each step changes a status and a presence, with events', () => {
    const org = buildOrg({ seed: 'demo', generatedMembers: 0, realm: defaultRealm(FEATURE.SERVER_10_2, 'Zulip Dev') });
    const events: string[] = [];
    org.onEvent((event) => events.push(event.type));
    const before = org.statuses.get(DEMO_STATUS_USER_ID);
    demoStep(org, 0);
    const first = org.statuses.get(DEMO_STATUS_USER_ID);
    assert.notDeepEqual(first, before);
    assert.equal(first?.status_text, 'Coffee break');
    demoStep(org, 1);
    assert.notDeepEqual(org.statuses.get(DEMO_STATUS_USER_ID), first);
    assert.deepEqual(events, ['user_status', 'presence', 'user_status', 'presence']);
    const presence = org.presence.get(DEMO_PRESENCE_USER_ID);
    assert.ok(presence && presence.lastActive !== null && presence.lastActive < presence.lastConnected, 'idle on odd steps');
  });
});

describe('generated groups and statuses', () => {
  const build = (seed: string) =>
    buildOrg({ seed, generatedMembers: 600, generatedGroups: 50, generatedStatusShare: 0.3, realm: defaultRealm(FEATURE.SERVER_10_2, 'Zulip Dev'), now: T });
  const fingerprint = (org: ReturnType<typeof build>) => JSON.stringify({ groups: org.userGroups, statuses: [...org.statuses] });

  test('the same seed makes the same groups and statuses; another seed others', () => {
    assert.equal(fingerprint(build('a')), fingerprint(build('a')));
    assert.notEqual(fingerprint(build('a')), fingerprint(build('b')));
  });

  test('groups have active human members and subgroups made before them; limits are checked', () => {
    const org = build('a');
    const generated = org.userGroups.filter((group) => group.description.startsWith('Generated group'));
    assert.equal(generated.length, 50);
    for (const group of generated) {
      assert.ok(group.membership.kind === 'users' && group.membership.userIds.every((id) => org.getUser(id)?.is_active && !org.getUser(id)?.is_bot));
      assert.ok(group.direct_subgroup_ids.every((id) => id < group.id));
    }
    assert.throws(() => buildOrg({ seed: 'x', generatedMembers: 0, generatedGroups: 5001, realm: defaultRealm(372, 'Zulip Dev') }), RangeError);
    assert.throws(() => buildOrg({ seed: 'x', generatedMembers: 0, generatedStatusShare: 2, realm: defaultRealm(372, 'Zulip Dev') }), RangeError);
  });
});
