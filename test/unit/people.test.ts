// People as Zulip shows them, model side: presence in both API forms and Zulip's states, the
// words for last active at their boundaries, statuses and groups folded from their events, and an
// organization fed by its event queue against the repository's server at feature levels 250, 372
// and 500 (registration state, then presence, user_status and user_group events; no polling).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { callControl } from '../../server/controlClient';
import { lastActiveText } from '../../src/model/lastActive';
import { Organization, registerOptionsFor } from '../../src/model/organization';
import { lastActiveOf, parsePresences, Presence, presenceLabel, presenceTimesOf, PRESENCE_OFFLINE_SECONDS, stateFromTimes } from '../../src/model/presence';
import { PresenceReporter } from '../../src/model/presenceReporter';
import { groupDisplayName, UserGroups } from '../../src/model/userGroups';
import { mergeStatus, unicodeEmojiText, UserStatuses } from '../../src/model/userStatus';
import { cutText } from '../../src/text/plainText';
import { withUserDefaults, ZulipClient } from '../../src/zulip/client';

const NOW = 1_700_000_000;
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

describe('presence data', () => {
  test('both API forms; entries of another shape are skipped', () => {
    assert.deepEqual(presenceTimesOf({ active_timestamp: 5, idle_timestamp: 9 }), { active: 5, idle: 9 });
    assert.deepEqual(presenceTimesOf({ aggregated: { status: 'idle', timestamp: 7 }, website: { status: 'active', timestamp: 4 } }), { active: 4, idle: 7 });
    assert.equal(presenceTimesOf('active'), undefined);
    assert.equal(presenceTimesOf({ website: { status: 'active', timestamp: 'soon' } }), undefined);
    const parsed = parsePresences({ '10': { active_timestamp: 1 }, 'Ann@Example.com': { aggregated: { status: 'active', timestamp: 2 } }, '11': null });
    assert.deepEqual([...parsed.byId.keys()], [10]);
    assert.deepEqual([...parsed.byEmail.keys()], ['ann@example.com']);
  });

  test('presenceLabel: short and sentence forms', () => {
    assert.equal(presenceLabel('active'), 'Active');
    assert.equal(presenceLabel('active', 'sentence'), 'Active now');
    assert.equal(presenceLabel(undefined), undefined);
  });

  test("Zulip's states at the offline threshold, and last active as the later time", () => {
    assert.equal(stateFromTimes({ active: NOW - (PRESENCE_OFFLINE_SECONDS - 1) }, NOW), 'active');
    assert.equal(stateFromTimes({ active: NOW - PRESENCE_OFFLINE_SECONDS }, NOW), 'offline');
    assert.equal(stateFromTimes({ active: NOW - HOUR, idle: NOW - 10 }, NOW), 'idle');
    assert.equal(stateFromTimes(undefined, NOW), 'offline');
    assert.equal(lastActiveOf({ active: 3, idle: 8 }), 8);
    assert.equal(lastActiveOf({}), undefined);
  });

  test('the model: reset, legacy and modern events, the server clock, bots and deactivated members', () => {
    let localMs = (NOW - 1000) * 1000; // our clock is 1000 s behind the server's
    const presence = new Presence({ now: () => localMs });
    const ann = withUserDefaults({ user_id: 1, email: 'ann@example.com', full_name: 'Ann' });
    const bot = withUserDefaults({ user_id: 2, email: 'bot@example.com', full_name: 'Bot', is_bot: true });
    const gone = withUserDefaults({ user_id: 3, email: 'gone@example.com', full_name: 'Gone', is_active: false });
    assert.equal(presence.stateOf(ann), undefined, 'nothing before the registration');
    let changes = 0;
    presence.onDidChange(() => changes++);
    presence.reset({ presences: { '1': { active_timestamp: NOW - 10 } }, server_timestamp: NOW });
    assert.equal(presence.stateOf(ann), 'active');
    assert.equal(presence.stateOf(bot), undefined);
    assert.equal(presence.stateOf(gone), undefined);
    localMs += PRESENCE_OFFLINE_SECONDS * 1000;
    assert.equal(presence.stateOf(ann), 'offline', 'time passing turns active into offline');
    assert.equal(presence.lastActive(ann), NOW - 10);
    presence.applyEvent({ type: 'presence', user_id: 1, email: 'ann@example.com', server_timestamp: NOW + 200, presence: { website: { status: 'idle', timestamp: NOW + 195 } } });
    assert.equal(presence.stateOf(ann), 'idle');
    presence.applyEvent({ type: 'presence', presences: { '1': { active_timestamp: NOW + 198, idle_timestamp: NOW + 198 } } });
    assert.equal(presence.stateOf(ann), 'active');
    presence.applyEvent({ type: 'presence', nonsense: true });
    assert.equal(changes, 3, 'a reset and two meaningful events');
    const none = new Presence();
    none.reset({});
    assert.equal(none.supported, false);
    assert.equal(none.stateOf(ann), undefined, 'a server without presence shows none');
    presence.dispose();
    none.dispose();
  });

  test('watching ticks while watched, and stops when nobody watches', async () => {
    const presence = new Presence({ tickMs: 20 });
    let ticks = 0;
    presence.onDidChange(() => ticks++);
    const a = presence.watch();
    const b = presence.watch();
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.ok(ticks >= 2, `ticked ${ticks} times`);
    a.dispose();
    b.dispose();
    const settled = ticks;
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(ticks, settled);
    presence.dispose();
  });
});

describe("Zulip's words for last active", () => {
  const text = (secondsAgo: number | undefined, locale?: string) =>
    lastActiveText({ state: 'offline', lastActive: secondsAgo === undefined ? undefined : NOW - secondsAgo, now: NOW, timeZone: 'UTC', locale });

  test('active, idle, none', () => {
    assert.equal(lastActiveText({ state: 'active', now: NOW }), 'Active now');
    assert.equal(lastActiveText({ state: 'idle', now: NOW }), 'Idle');
    assert.equal(lastActiveText({ state: undefined, now: NOW }), undefined);
    assert.equal(text(undefined), 'Not active in the last year');
  });

  test('minutes, hours, yesterday, days, dates', () => {
    assert.equal(text(3 * MINUTE), 'Active 3 minutes ago');
    assert.equal(text(59 * MINUTE + 59), 'Active 59 minutes ago');
    assert.equal(text(HOUR), 'Active an hour ago');
    assert.equal(text(2 * HOUR - 1), 'Active an hour ago');
    assert.equal(text(2 * HOUR), 'Active 2 hours ago');
    assert.equal(text(DAY - 1), 'Active 23 hours ago');
    // NOW is 2023-11-14 22:13 UTC: 30 hours ago is the day before, 48 hours ago two days.
    assert.equal(text(30 * HOUR), 'Active yesterday');
    assert.equal(text(2 * DAY), 'Active 2 days ago');
    assert.equal(text(89 * DAY), 'Active 89 days ago');
    assert.equal(text(100 * DAY), 'Active Aug 6');
    assert.equal(text(400 * DAY), 'Active Oct 10, 2022');
  });

  test("numbers and dates in the display language; a clock ahead of ours is just now; an unknown language is English", () => {
    assert.equal(text(5 * MINUTE, 'de'), 'Active vor 5 Minuten');
    assert.equal(text(-30), 'Active 0 minutes ago');
    assert.equal(text(5 * MINUTE, 'not a language!'), 'Active 5 minutes ago');
  });
});

describe('statuses and groups', () => {
  test('status updates fold in; "" clears; emoji from code points', () => {
    const set = mergeStatus(undefined, { status_text: ' In a meeting ', emoji_name: 'calendar', emoji_code: '1f4c5', reaction_type: 'unicode_emoji' });
    assert.deepEqual(set, { text: 'In a meeting', emoji: { name: 'calendar', code: '1f4c5', type: 'unicode_emoji' }, away: false });
    const noEmoji = mergeStatus(set, { emoji_name: '', emoji_code: '', reaction_type: 'unicode_emoji' });
    assert.deepEqual(noEmoji, { text: 'In a meeting', emoji: undefined, away: false });
    assert.equal(mergeStatus(noEmoji, { status_text: '' }), undefined);
    assert.equal(mergeStatus(undefined, { emoji_name: 'x', emoji_code: '1', reaction_type: 'evil' }), undefined);
    assert.equal(unicodeEmojiText('1f468-200d-1f469-200d-1f467'), '👨‍👩‍👧');
    assert.equal(unicodeEmojiText('zulip'), undefined);
    assert.equal(unicodeEmojiText('d800'), undefined);
    assert.equal(unicodeEmojiText('110000'), undefined);
    assert.equal(cutText('abcdef', 4), 'abc…');
    assert.equal(cutText('abc', 4), 'abc');
  });

  test('UserStatuses: reset and events name the ids they touch', () => {
    const statuses = new UserStatuses();
    const heard: number[][] = [];
    statuses.onDidChange((ids) => heard.push(ids));
    statuses.reset({ '5': { status_text: 'Lunch' }, bad: { status_text: 'x' } });
    assert.equal(statuses.get(5)?.text, 'Lunch');
    statuses.applyEvent({ type: 'user_status', user_id: 5, status_text: '' });
    assert.equal(statuses.get(5), undefined);
    assert.deepEqual(heard, [[5], [5]]);
  });

  test('UserGroups: every user_group op; unknown groups and ops change nothing', () => {
    const groups = new UserGroups();
    let changes = 0;
    groups.onDidChange(() => changes++);
    groups.reset([{ id: 1, name: 'role:administrators', description: '', members: [1], is_system_group: true }, { nope: true }]);
    assert.equal(groups.all().length, 1);
    assert.equal(groupDisplayName(groups.get(1)!), 'Administrators');
    groups.applyEvent({ op: 'add', group: { id: 2, name: 'design', description: 'Designers', members: [3] } });
    groups.applyEvent({ op: 'add_members', group_id: 2, user_ids: [4, 3] });
    groups.applyEvent({ op: 'remove_members', group_id: 2, user_ids: [3] });
    groups.applyEvent({ op: 'add_subgroups', group_id: 2, direct_subgroup_ids: [1] });
    groups.applyEvent({ op: 'update', group_id: 2, data: { name: 'Design' } });
    assert.deepEqual(groups.get(2), { id: 2, name: 'Design', description: 'Designers', members: [4], direct_subgroup_ids: [1] });
    groups.applyEvent({ op: 'remove_subgroups', group_id: 2, direct_subgroup_ids: [1] });
    assert.deepEqual(groups.get(2)?.direct_subgroup_ids, []);
    groups.applyEvent({ op: 'remove', group_id: 2 });
    assert.equal(groups.get(2), undefined);
    const before = changes;
    groups.applyEvent({ op: 'add_members', group_id: 99, user_ids: [1] });
    groups.applyEvent({ op: 'explode', group_id: 1 });
    assert.equal(changes, before);
    assert.equal(groupDisplayName({ name: 'role:members', is_system_group: false }), 'role:members', 'only system groups are renamed');
  });

  test('registration options by feature level', () => {
    assert.deepEqual(registerOptionsFor(250).clientCapabilities, {});
    assert.equal(registerOptionsFor(250).slimPresence, false);
    assert.deepEqual(registerOptionsFor(372).clientCapabilities, { include_deactivated_groups: true });
    assert.equal(registerOptionsFor(372).slimPresence, true);
    assert.deepEqual(registerOptionsFor(500).clientCapabilities, { simplified_presence_events: true, include_deactivated_groups: true });
  });

  test('the reporter sends only while enabled and focused', async () => {
    let sent = 0;
    const reporter = new PresenceReporter(() => (sent++, Promise.resolve()), { intervalMs: 20 });
    reporter.set({ focused: true });
    assert.equal(sent, 0, 'not without the setting');
    reporter.set({ enabled: true });
    assert.equal(sent, 1, 'at once');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(sent >= 2, "reported again each interval");
    reporter.set({ focused: false });
    const settled = sent;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(sent, settled);
    assert.equal(reporter.reporting, false);
    reporter.dispose();
  });
});

// ---- Against the server ----

const HAMLET = 10;
const DESDEMONA = 5;
const SHIVA = 6;
const IAGO = 11;
const CORDELIA = 8;
const HOUR_OF_CHANGES_MS = 5000;

function control<T = Record<string, unknown>>(server: ZulipServer, name: string, body: unknown = {}): Promise<T> {
  return callControl<T>(server.url, name, body);
}

function until(predicate: () => boolean, what: string, timeoutMs = HOUR_OF_CHANGES_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (predicate()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(check, 20);
    };
    check();
  });
}

for (const featureLevel of [250, 372, 500]) {
  describe(`an organization at feature level ${featureLevel}`, () => {
    let server: ZulipServer;
    let org: Organization;
    after(async () => {
      await org?.dispose();
      await server?.close();
    });

    test('takes presence, statuses and groups from the registration, and keeps them live by events', async () => {
      server = await startZulipServer({ port: 0, featureLevel, longPollTimeoutSeconds: 1 });
      const client = new ZulipClient({ site: server.url, email: server.demo.email, apiKey: server.demo.apiKey, timeoutMs: 5000 });
      org = new Organization(
        { id: `${server.url}|${server.demo.email}`, site: server.url, email: server.demo.email, userId: server.demo.userId, fullName: 'King Hamlet', realmName: 'Zulip Dev', featureLevel, zulipVersion: '10.2' },
        client,
        { minBackoffMs: 20, maxBackoffMs: 200 },
      );
      await org.start();
      assert.equal(org.state.kind, 'ready');
      const member = (id: number) => org.members.get(id)!;
      const words = (id: number) => lastActiveText({ state: org.presence.stateOf(member(id)), lastActive: org.presence.lastActive(member(id)), now: org.presence.nowSeconds() });

      // The seed: Desdemona active, Iago idle, Shiva offline since 15 minutes.
      assert.equal(org.presence.stateOf(member(DESDEMONA)), 'active');
      assert.equal(org.presence.stateOf(member(IAGO)), 'idle');
      assert.equal(org.presence.stateOf(member(SHIVA)), 'offline');
      // Zulip's last active is the later of active and connected.
      if (featureLevel >= 263) assert.match(words(SHIVA)!, /^Active \d+ minutes ago$/);
      assert.equal(org.statuses.get(HAMLET)?.text, 'To be, or not to be');
      assert.equal(org.statuses.get(HAMLET)?.emoji?.type, 'unicode_emoji');
      assert.ok(org.groupStore.isLoaded && org.groupStore.all().length > 0, 'groups came with the registration');
      assert.ok(!server.requests.some((r) => r.path === '/api/v1/realm/presence' || r.path === '/api/v1/user_groups'), 'nothing polled or fetched apart');

      // user_status: set, then cleared.
      await control(server, 'set-status', { user_id: CORDELIA, status_text: 'Commuting', emoji_name: 'car' });
      await until(() => org.statuses.get(CORDELIA)?.text === 'Commuting' && org.statuses.get(CORDELIA)?.emoji?.name === 'car', 'the status event');
      await control(server, 'set-status', { user_id: CORDELIA, status_text: '', emoji_name: '' });
      await until(() => org.statuses.get(CORDELIA) === undefined, 'the cleared status');

      // presence: Shiva comes back.
      const now = await callControl<{ now: number }>(server.url, 'clock');
      await control(server, 'set-presence', { user_id: SHIVA, active_timestamp: Math.floor(now.now), idle_timestamp: Math.floor(now.now) });
      await until(() => org.presence.stateOf(member(SHIVA)) === 'active', 'the presence event');

      // user_group: created, members added and removed, removed.
      const { group_id } = await control<{ group_id: number }>(server, 'create-group', { name: `reviewers-${featureLevel}`, description: 'Code <b>review</b>', members: [HAMLET] });
      await until(() => org.groupStore.get(group_id)?.description === 'Code <b>review</b>', 'the new group');
      await control(server, 'group-members', { group_id, add: [IAGO], remove: [HAMLET] });
      await until(() => JSON.stringify(org.groupStore.get(group_id)?.members) === JSON.stringify([IAGO]), 'the membership events');
      assert.ok((await org.userGroups()).some((g) => g.id === group_id), 'userGroups() answers from the live groups');
      await control(server, 'remove-group', { group_id });
      await until(() => org.groupStore.get(group_id) === undefined, 'the removed group');
    });
  });
}

describe('Set Status choices', () => {
  test("the 60-character limit is counted in code points, as Zulip counts it; presets carry Zulip's emoji names", async () => {
    const { statusTextCheck, statusPresets, COMMON_EMOJI } = await import('../../src/model/statusChoices');
    assert.deepEqual(statusTextCheck('In a meeting'), { count: '12/60' });
    assert.equal(statusTextCheck('🌴'.repeat(60)).problem, undefined, 'sixty emoji are sixty characters');
    assert.match(statusTextCheck('x'.repeat(61)).problem!, /^61\/60: a status can be at most 60 characters\.$/);
    assert.deepEqual(statusPresets().map((p) => p.text), ['Busy', 'In a meeting', 'Commuting', 'Out sick', 'Vacationing', 'Working remotely', 'At the office']);
    for (const emoji of [...COMMON_EMOJI, ...statusPresets().map((p) => p.emoji)]) assert.ok(unicodeEmojiText(emoji.code), emoji.name);
  });
});

describe('group membership and can_mention_group', () => {
  test('through subgroups, with cycles; a group id or an anonymous group', async () => {
    const { isGroupMember, mayMentionGroup } = await import('../../src/model/userGroups');
    const groups = new Map([
      [1, { id: 1, name: 'a', description: '', members: [], direct_subgroup_ids: [2] }],
      [2, { id: 2, name: 'b', description: '', members: [7], direct_subgroup_ids: [1] }],
      [3, { id: 3, name: 'c', description: '', members: [], can_mention_group: 1 }],
      [4, { id: 4, name: 'd', description: '', members: [], can_mention_group: { direct_members: [8], direct_subgroups: [2] } }],
    ]);
    const byId = (id: number) => groups.get(id);
    assert.equal(isGroupMember(7, 1, byId), true);
    assert.equal(isGroupMember(8, 1, byId), false);
    assert.equal(mayMentionGroup(groups.get(3)!, 7, byId), true);
    assert.equal(mayMentionGroup(groups.get(3)!, 8, byId), false);
    assert.equal(mayMentionGroup(groups.get(4)!, 8, byId), true);
    assert.equal(mayMentionGroup(groups.get(4)!, 7, byId), true);
    assert.equal(mayMentionGroup(groups.get(1)!, 7, byId), undefined);
  });
});

describe('the Groups view model', () => {
  test("named groups first, then system groups in Zulip's role order under Zulip's names; members by name, then subgroups", async () => {
    const { sortGroups, groupChildren, groupRowLabel, groupRowDescription } = await import('../../src/views/groupTreeModel');
    const g = (id: number, name: string, over: Record<string, unknown> = {}) => ({ id, name, description: '', members: [] as number[], direct_subgroup_ids: [] as number[], ...over });
    const all = [
      g(1, 'role:members', { is_system_group: true, members: [1], direct_subgroup_ids: [2] }),
      g(2, 'role:administrators', { is_system_group: true, members: [2, 3] }),
      g(3, 'zeta', { members: [3, 1, 4] }),
      g(4, 'alpha', { deactivated: true }),
      g(5, 'Beta', { direct_subgroup_ids: [3, 4] }),
    ];
    assert.deepEqual(sortGroups(all, false).map(groupRowLabel), ['Beta', 'zeta', 'Administrators', 'Everyone except guests']);
    assert.deepEqual(sortGroups(all, true).map(groupRowLabel), ['alpha (deactivated)', 'Beta', 'zeta', 'Administrators', 'Everyone except guests']);
    assert.equal(groupRowDescription(all[0], all), '3 members', 'subgroup members counted once');
    const people = new Map([
      [1, withUserDefaults({ user_id: 1, email: 'c@x', full_name: 'Cy' })],
      [3, withUserDefaults({ user_id: 3, email: 'a@x', full_name: 'Al' })],
      [4, withUserDefaults({ user_id: 4, email: 'b@x', full_name: 'Bo', is_active: false })],
    ]);
    const zeta = groupChildren(all[2], (id) => people.get(id), all, false);
    assert.deepEqual(zeta.members.map((u) => u.full_name), ['Al', 'Cy'], 'by name; deactivated and unknown left out');
    assert.deepEqual(groupChildren(all[2], (id) => people.get(id), all, true).members.map((u) => u.full_name), ['Al', 'Bo', 'Cy']);
    assert.deepEqual(groupChildren(all[4], (id) => people.get(id), all, false).subgroups.map((s) => s.name), ['zeta']);
  });
});
