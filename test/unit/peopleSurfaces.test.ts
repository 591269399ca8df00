// People on newer and restricted servers, as each surface shows them: deleted accounts (FL 490)
// with no actions, the user card's summary fields (display_in_profile_summary, at most two),
// "Unknown user" for ids a restricted guest's list lacks, custom and Zulip status emoji as
// images (same-site URLs only), and the profile's groups. Then an organization against the
// repository's server: realm_emoji from the registration and its events.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { callControl } from '../../server/controlClient';
import { parseRealmEmoji, sameSiteUrl, statusEmojiImageUrl, ZULIP_EMOJI_PATH } from '../../src/model/customEmoji';
import { MemberIndex } from '../../src/model/memberIndex';
import { isDeleted, profileSummary, PROFILE_SUMMARY_MAX, UNKNOWN_USER_NAME } from '../../src/model/memberInfo';
import { Organization } from '../../src/model/organization';
import { Presence } from '../../src/model/presence';
import { groupsOfMember } from '../../src/model/userGroups';
import type { UserStatus } from '../../src/model/userStatus';
import { groupChildren, sortGroups } from '../../src/views/groupTreeModel';
import { memberContextValue, memberTooltip, type RowContext } from '../../src/views/memberRowText';
import { mentionCardAt, type CardOrganization } from '../../src/views/mentionCard';
import { buildProfileBody, buildProfilePage, missingMemberMessage } from '../../src/views/profileHtml';
import { statusMarkdown } from '../../src/views/statusText';
import { escapeMarkdown } from '../../src/text/markdownText';
import { withUserDefaults, ZulipClient } from '../../src/zulip/client';
import { ProfileFieldType, type CustomProfileField, type User, type UserGroup } from '../../src/zulip/types';

const SITE = 'https://zulip.example';
const user = (user_id: number, full_name: string, over: Partial<User> = {}): User => withUserDefaults({ user_id, full_name, email: `user${user_id}@zulip.example`, ...over });

const field = (id: number, name: string, type: ProfileFieldType, over: Partial<CustomProfileField> = {}): CustomProfileField => ({
  id,
  name,
  type,
  order: id,
  hint: '',
  field_data: '',
  ...over,
});

const FIELDS: CustomProfileField[] = [
  field(1, 'Phone', ProfileFieldType.ShortText),
  field(2, 'Pronouns', ProfileFieldType.Pronouns, { display_in_profile_summary: true }),
  field(3, 'Editor', ProfileFieldType.Select, { display_in_profile_summary: true, field_data: '{"0":{"text":"Vim","order":"1"},"1":{"text":"Emacs","order":"2"}}' }),
  field(4, 'Mentor', ProfileFieldType.Users, { display_in_profile_summary: true }),
  field(5, 'Website', ProfileFieldType.Link, { display_in_profile_summary: true }),
];

const HAMLET = user(10, 'King Hamlet', {
  profile_data: { '1': { value: '555' }, '2': { value: 'he/him' }, '3': { value: '1' }, '4': { value: '[11, 99]' }, '5': { value: 'https://hamlet.example' } },
});
const IAGO = user(11, 'Iago', { is_guest: false });
const REYNALDO = user(21, 'Reynaldo', { is_active: false, is_deleted: true });
const GUEST = user(19, 'Layla', { is_guest: true, role: 600 });

function cardOrg(users: User[], extra: Partial<CardOrganization> = {}): CardOrganization {
  return {
    id: 'org',
    name: 'Zulip Dev',
    members: new MemberIndex(users),
    avatarOf: () => undefined,
    pronounsOf: () => undefined,
    presenceOf: () => undefined,
    ...extra,
  };
}

function rowContext(members: User[], over: Partial<RowContext> = {}): RowContext {
  const byId = new Map(members.map((m) => [m.user_id, m]));
  return { site: SITE, member: (id) => byId.get(id), profileFields: FIELDS, mode: 'none', ...over };
}

describe('deleted accounts (FL 490)', () => {
  test('is_deleted only when true; the card says so and links nothing', () => {
    assert.equal(isDeleted(REYNALDO), true);
    assert.equal(isDeleted(HAMLET), false);
    const card = mentionCardAt('@**Reynaldo**', 3, [cardOrg([HAMLET, REYNALDO])]);
    assert.ok(card);
    assert.match(card.markdown, /Deleted user/);
    assert.doesNotMatch(card.markdown, /command:/, 'no Open profile, no Copy mention');
    const live = mentionCardAt('@**King Hamlet**', 3, [cardOrg([HAMLET, REYNALDO])]);
    assert.match(live!.markdown, /command:zulip\.openProfile/);
  });

  test('the tree row matches no member menu; the tooltip and the profile say deleted and offer only Refresh', () => {
    assert.equal(memberContextValue(REYNALDO), 'deletedMember');
    assert.doesNotMatch(memberContextValue(REYNALDO), /^member(\.|$)/);
    assert.match(memberTooltip(REYNALDO, rowContext([REYNALDO])), /Deleted user/);
    const body = buildProfileBody({ accountId: 'a', site: SITE, user: REYNALDO, fields: [], member: () => undefined });
    assert.match(body, /Deleted user/);
    assert.deepEqual([...body.matchAll(/data-command="(\w+)"/g)].map((m) => m[1]), ['refresh']);
    const live = buildProfileBody({ accountId: 'a', site: SITE, user: IAGO, fields: [], member: () => undefined });
    assert.ok([...live.matchAll(/data-command="(\w+)"/g)].map((m) => m[1]).includes('copyMention'));
  });
});

describe('profile summary fields (display_in_profile_summary)', () => {
  test('in order, set ones only, pronouns left to the heading, at most two', () => {
    const byId = new Map([HAMLET, IAGO].map((m) => [m.user_id, m]));
    const summary = profileSummary(HAMLET, FIELDS, (id) => byId.get(id));
    assert.equal(summary.length, PROFILE_SUMMARY_MAX);
    assert.deepEqual(summary, [
      { name: 'Editor', text: 'Emacs' },
      { name: 'Mentor', text: `Iago, ${UNKNOWN_USER_NAME}` },
    ]);
    assert.deepEqual(profileSummary(IAGO, FIELDS, () => undefined), [], 'nothing set, nothing shown');
  });

  test('the hover card and the tree tooltip show them, escaped', () => {
    const hostile = user(12, 'Cordelia', { profile_data: { '3': { value: '9' }, '5': { value: '[x](command:zulip.signOut) <img src=x>' } } });
    const byId = new Map([hostile].map((m) => [m.user_id, m]));
    const tooltip = memberTooltip(hostile, rowContext([hostile]));
    assert.match(tooltip, /Editor: 9/, 'an unknown option key shows as the key');
    const escaped = `Website: ${escapeMarkdown('[x](command:zulip.signOut) <img src=x>')}`;
    assert.ok(tooltip.includes(escaped), tooltip);
    const card = mentionCardAt('@**Cordelia**', 3, [cardOrg([hostile], { summaryOf: (u) => profileSummary(u, FIELDS, (id) => byId.get(id)) })]);
    assert.ok(card!.markdown.includes(escaped), card!.markdown);
    assert.doesNotMatch(card!.markdown, /command:zulip\.signOut\)/);
  });
});

describe('restricted guests: ids the list lacks are "Unknown user"', () => {
  const group: UserGroup = { id: 30, name: 'design', description: '', members: [10, 77, 78], direct_subgroup_ids: [] };

  test('a group card lists them as Unknown user and counts them', () => {
    const card = mentionCardAt('@*design*', 2, [cardOrg([HAMLET, GUEST])], () => [group]);
    assert.ok(card);
    assert.equal(card.markdown.split(UNKNOWN_USER_NAME).length - 1, 2, card.markdown);
    assert.match(card.markdown, /3 members/);
  });

  test('the Groups view has a row per unknown id once the list has loaded, none before', () => {
    const members = new Map([[10, HAMLET]]);
    assert.deepEqual(groupChildren(group, (id) => members.get(id), [group], false).unknown, [77, 78]);
    assert.deepEqual(groupChildren(group, () => undefined, [group], false, false).unknown, []);
  });

  test('a mention by an id the guest may not see says Zulip shows such people as Unknown user', () => {
    const asGuest = mentionCardAt('@**|77**', 3, [cardOrg([HAMLET, GUEST], { selfId: GUEST.user_id })]);
    assert.match(asGuest!.markdown, /You are a guest of Zulip Dev/);
    assert.ok(asGuest!.markdown.includes(UNKNOWN_USER_NAME));
    const asMember = mentionCardAt('@**|77**', 3, [cardOrg([HAMLET, GUEST], { selfId: HAMLET.user_id })]);
    assert.doesNotMatch(asMember!.markdown, /guest/);
  });

  test('a profile of such an id says Unknown user to a guest, no such member to anyone else', () => {
    assert.equal(missingMemberMessage('Zulip Dev', 77, true), 'Unknown user (user id 77): Zulip Dev may keep some members from guests, and Zulip shows them as "Unknown user".');
    assert.equal(missingMemberMessage('Zulip Dev', 77, false), 'Zulip Dev has no member with id 77.');
  });

  test('the profile names them Unknown user in a users field', () => {
    const body = buildProfileBody({ accountId: 'a', site: SITE, user: HAMLET, fields: FIELDS, member: (id) => (id === 11 ? IAGO : undefined) });
    assert.match(body, /Unknown user \(99\)/);
  });
});

describe('custom and Zulip status emoji as images', () => {
  const emoji = parseRealmEmoji({
    '1': { id: '1', name: 'green_tick', source_url: '/user_avatars/2/emoji/images/1.gif', still_url: '/user_avatars/2/emoji/images/still/1.png' },
    '2': { id: '2', name: 'elsewhere', source_url: 'https://evil.example/track.png' },
    '3': { id: '3', name: 'plain', source_url: '/user_avatars/2/emoji/images/3.png', still_url: null },
    bad: { name: 7 },
  });
  const custom: UserStatus = { text: 'Reviewing', emoji: { name: 'green_tick', code: '1', type: 'realm_emoji' }, away: false };

  test('the still image on the site, the source without one; other hosts, unknown ids and Unicode emoji give none', () => {
    assert.deepEqual([...emoji.keys()], ['1', '2', '3']);
    assert.equal(statusEmojiImageUrl(custom, emoji, SITE), `${SITE}/user_avatars/2/emoji/images/still/1.png`);
    assert.equal(statusEmojiImageUrl({ ...custom, emoji: { name: 'plain', code: '3', type: 'realm_emoji' } }, emoji, SITE), `${SITE}/user_avatars/2/emoji/images/3.png`);
    assert.equal(statusEmojiImageUrl({ ...custom, emoji: { name: 'elsewhere', code: '2', type: 'realm_emoji' } }, emoji, SITE), undefined);
    assert.equal(statusEmojiImageUrl({ ...custom, emoji: { name: 'nope', code: '404', type: 'realm_emoji' } }, emoji, SITE), undefined);
    assert.equal(statusEmojiImageUrl({ ...custom, emoji: { name: 'zulip', code: 'zulip', type: 'zulip_extra_emoji' } }, emoji, SITE), SITE + ZULIP_EMOJI_PATH);
    assert.equal(statusEmojiImageUrl({ ...custom, emoji: { name: 'house', code: '1f3e0', type: 'unicode_emoji' } }, emoji, SITE), undefined);
    assert.equal(sameSiteUrl('//evil.example/x.png', SITE), undefined);
    assert.equal(sameSiteUrl('javascript:alert(1)', SITE), undefined);
  });

  test('the card draws the image (a file) in place of :name:, with an escaped alt text; without one it writes :name:', () => {
    assert.equal(statusMarkdown(custom), '\\:green\\_tick\\: Reviewing');
    const line = statusMarkdown(custom, 'file:///cache/a b(1).png');
    assert.equal(line, '![\\:green\\_tick\\:](file:///cache/a%20b%281%29.png|width=16,height=16) Reviewing');
  });

  test('the profile shows a same-site image; the CSP still allows only the site', () => {
    const body = buildProfileBody({ accountId: 'a', site: SITE, user: IAGO, fields: [], member: () => undefined, status: custom, statusEmojiImage: `${SITE}/user_avatars/2/emoji/images/still/1.png` });
    assert.match(body, /<img class="status-emoji" src="https:\/\/zulip\.example\/user_avatars\/2\/emoji\/images\/still\/1\.png" alt=":green_tick:"/);
    const offSite = buildProfileBody({ accountId: 'a', site: SITE, user: IAGO, fields: [], member: () => undefined, status: custom, statusEmojiImage: 'https://evil.example/x.png' });
    assert.doesNotMatch(offSite, /evil/);
    assert.match(offSite, /:green_tick: Reviewing/);
    const page = buildProfilePage(body, { cspSource: 'vscode-resource:', nonce: 'A'.repeat(24), scriptUri: 's', styleUri: 'c', site: SITE, title: 't' });
    assert.match(page, /img-src vscode-resource: https:\/\/zulip\.example;/);
  });
});

describe("the profile's groups", () => {
  const groups: UserGroup[] = [
    { id: 1, name: 'role:internet', description: '', members: [], direct_subgroup_ids: [2], is_system_group: true },
    { id: 2, name: 'role:everyone', description: '', members: [], direct_subgroup_ids: [3], is_system_group: true },
    { id: 3, name: 'role:members', description: '', members: [10], direct_subgroup_ids: [], is_system_group: true },
    { id: 7, name: 'role:owners', description: '', members: [], direct_subgroup_ids: [], is_system_group: true },
    { id: 20, name: 'zeta <b>team</b>', description: '', members: [], direct_subgroup_ids: [21] },
    { id: 21, name: 'alpha', description: '', members: [10], direct_subgroup_ids: [20] },
    { id: 22, name: 'old', description: '', members: [10], direct_subgroup_ids: [], deactivated: true },
  ];

  test('directly or through subgroups (cycles tolerated), deactivated ones left out', () => {
    assert.deepEqual(groupsOfMember(10, groups).map((g) => g.id).sort((a, b) => a - b), [1, 2, 3, 20, 21]);
    assert.deepEqual(groupsOfMember(99, groups), []);
  });

  test('named groups first, then system groups under Zulip\'s names, escaped', () => {
    const mine = sortGroups(groupsOfMember(10, groups), false).filter((g) => g.name !== 'role:internet');
    const body = buildProfileBody({ accountId: 'a', site: SITE, user: HAMLET, fields: [], member: () => undefined, groups: mine });
    const items = [...body.matchAll(/<li class="([^"]+)">([^<]*)<\/li>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(items, [
      ['group', 'alpha'],
      ['group', 'zeta &#60;b&#62;team&#60;/b&#62;'],
      ['group system-group', 'Everyone except guests'],
      ['group system-group', 'Everyone including guests'],
    ]);
  });
});

describe('an organization at feature level 500: custom emoji from the registration and its events', () => {
  let server: ZulipServer;
  let org: Organization;
  after(async () => {
    await org?.dispose();
    await server?.close();
  });

  test("realm_emoji arrives with the registration; a new emoji's event replaces the map; the images are served", async () => {
    server = await startZulipServer({ port: 0, featureLevel: 500, longPollTimeoutSeconds: 1 });
    const client = new ZulipClient({ site: server.url, email: server.demo.email, apiKey: server.demo.apiKey, timeoutMs: 5000 });
    org = new Organization(
      { id: `${server.url}|${server.demo.email}`, site: server.url, email: server.demo.email, userId: server.demo.userId, fullName: 'King Hamlet', realmName: 'Zulip Dev', featureLevel: 500, zulipVersion: '10.2' },
      client,
      { minBackoffMs: 20, maxBackoffMs: 200 },
    );
    await org.start();
    const iago = org.statuses.get(11);
    assert.equal(iago?.emoji?.type, 'realm_emoji');
    const url = statusEmojiImageUrl(iago, org.realmEmoji, server.url);
    assert.ok(url?.startsWith(server.url + '/user_avatars/'), url);
    const image = await client.getImage(url!, { maxBytes: 100_000 });
    assert.equal(image.contentType, 'image/png');
    const zulip = statusEmojiImageUrl(org.statuses.get(6), org.realmEmoji, server.url);
    assert.equal(zulip, server.url + ZULIP_EMOJI_PATH);
    assert.equal((await client.getImage(zulip, { maxBytes: 100_000 })).contentType, 'image/png');
    // A deleted account at this level.
    assert.equal(org.members.get(21)?.is_deleted, true);

    const before = org.realmEmoji.size;
    await callControl(server.url, 'add-emoji', { name: 'party_parrot', author_id: 10 });
    const deadline = Date.now() + 5000;
    while (org.realmEmoji.size === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok([...org.realmEmoji.values()].some((e) => e.name === 'party_parrot'), 'the realm_emoji event');
  });
});

describe('single-user presence in every shape (before 487, 487, 497 and later)', () => {
  const DESDEMONA = 5;
  const IAGO = 11;
  const servers: ZulipServer[] = [];
  after(async () => {
    for (const s of servers) await s.close();
  });

  test('the same state and last-active time from the legacy, the modern and the combined answer', async () => {
    const seen: Array<[string | undefined, number | undefined, string | undefined, number | undefined]> = [];
    for (const featureLevel of [372, 487, 500]) {
      const server = await startZulipServer({ port: 0, featureLevel, validateContract: true });
      servers.push(server);
      const client = new ZulipClient({ site: server.url, email: server.demo.email, apiKey: server.demo.apiKey, timeoutMs: 5000 });
      const presence = new Presence();
      // A registration without presence: the server does not offer it there, so nobody has a state.
      presence.reset({});
      const desdemona = withUserDefaults({ user_id: DESDEMONA, full_name: 'Desdemona', email: 'desdemona@zulip.com' });
      const iago = withUserDefaults({ user_id: IAGO, full_name: 'Iago', email: 'iago@zulip.com' });
      assert.equal(presence.stateOf(desdemona), undefined);
      assert.equal(presence.applySingle(DESDEMONA, await client.getUserPresence(DESDEMONA)), true, `level ${featureLevel}`);
      assert.equal(presence.applySingle(IAGO, await client.getUserPresence('iago@zulip.com')), true, `level ${featureLevel}, by email`);
      seen.push([presence.stateOf(desdemona), presence.lastActive(desdemona), presence.stateOf(iago), presence.lastActive(iago)]);
      assert.equal(presence.applySingle(IAGO, { presence: { nonsense: 1 } }), false, 'an answer of no known shape changes nothing');
      assert.deepEqual(server.contractViolations, []);
      presence.dispose();
    }
    assert.equal(seen[0][0], 'active');
    assert.equal(seen[0][2], 'idle');
    // Each server seeds last-active times from its own clock, so two of them may lie either side of a
    // minute boundary: the times must agree within the few seconds between the servers' starts.
    for (const row of seen) {
      assert.deepEqual([row[0], row[2]], [seen[0][0], seen[0][2]]);
      for (const i of [1, 3] as const) {
        assert.equal(typeof row[i], 'number');
        assert.ok(Math.abs((row[i] as number) - (seen[0][i] as number)) <= 60, `last-active ${row[i]} vs ${seen[0][i]}`);
      }
    }
  });
});

describe('older servers: Set Status says what the server does not offer', () => {
  test('no statuses at registration: nothing to send, and why; before FL 86 text only', async () => {
    const { statusSupport, FEATURE_STATUS_EMOJI } = await import('../../src/model/statusChoices');
    const { UserStatuses } = await import('../../src/model/userStatus');
    const statuses = new UserStatuses();
    assert.equal(statuses.supported, undefined);
    statuses.reset(undefined);
    assert.equal(statuses.supported, false);
    assert.deepEqual(statusSupport('Old Org', 40, statuses.supported), { ok: false, emoji: false, reason: 'Old Org (Zulip feature level 40) does not offer user statuses.' });
    statuses.reset({});
    assert.equal(statuses.supported, true);
    assert.deepEqual(statusSupport('Org', FEATURE_STATUS_EMOJI - 1, statuses.supported), { ok: true, emoji: false });
    assert.deepEqual(statusSupport('Org', FEATURE_STATUS_EMOJI, statuses.supported), { ok: true, emoji: true });
    statuses.dispose();
  });
});
