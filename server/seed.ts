// The demo organization: the members and custom profile fields of zulip.yaml's examples (GET
// /users, GET /users/me, GET /realm/profile_fields), completed so that every case a client must
// handle is present: each role, each bot type, a bot without owner, deactivated accounts, each
// email visibility, uploaded and Gravatar avatars, duplicate and non-Latin names.
import { INVISIBLE_OFFSET_SECONDS } from './presence';
import { generateGroups, generateMembers, generateStatuses } from './generate';
import { DEFAULT_GROUP_SETTINGS } from './groups';
import { Org } from './org';
import { apiKeyFrom, hexFrom, Random } from './random';
import type {
  BotType,
  CustomProfileField,
  EmailVisibility,
  RealmSettings,
  Role,
  UserGroupRecord,
  UserRecord,
} from './types';

/** The member whose credentials the server prints: King Hamlet, as in the JWT doc's example token. */
export const DEMO_USER_ID = 10;

export function seedProfileFields(): CustomProfileField[] {
  return [
    { id: 1, name: 'Phone number', type: 1, hint: '', field_data: '', order: 1, required: true, editable_by_user: false },
    { id: 2, name: 'Biography', type: 2, hint: 'What are you known for?', field_data: '', order: 2, required: true, editable_by_user: true },
    { id: 3, name: 'Favorite food', type: 1, hint: "Or drink, if you'd prefer", field_data: '', order: 3, required: false, editable_by_user: true },
    {
      id: 4,
      name: 'Favorite editor',
      type: 3,
      hint: '',
      field_data: '{"0":{"text":"Vim","order":"1"},"1":{"text":"Emacs","order":"2"}}',
      order: 4,
      display_in_profile_summary: true,
      required: true,
      editable_by_user: true,
    },
    { id: 5, name: 'Birthday', type: 4, hint: '', field_data: '', order: 5, required: false, editable_by_user: false },
    {
      id: 6,
      name: 'Favorite website',
      type: 5,
      hint: "Or your personal blog's URL",
      field_data: '',
      order: 6,
      display_in_profile_summary: true,
      required: false,
      editable_by_user: true,
    },
    { id: 7, name: 'Mentor', type: 6, hint: '', field_data: '', order: 7, required: true, editable_by_user: false },
    { id: 8, name: 'GitHub', type: 7, hint: 'Enter your GitHub username', field_data: '{"subtype":"github"}', order: 8, required: true, editable_by_user: true },
    {
      id: 9,
      name: 'Pronouns',
      type: 8,
      hint: 'What pronouns should people use to refer to you?',
      field_data: '',
      order: 9,
      required: false,
      editable_by_user: true,
    },
    // An external account with a custom URL pattern, the other form clients must link.
    {
      id: 10,
      name: 'Mastodon',
      type: 7,
      hint: 'Your handle on mastodon.social',
      field_data: '{"subtype":"custom","url_pattern":"https://mastodon.social/@%(username)s"}',
      order: 10,
      required: false,
      editable_by_user: true,
    },
  ];
}

interface SeedMember {
  id: number;
  name: string;
  email: string;
  role?: Role;
  visibility?: EmailVisibility;
  timezone?: string;
  uploaded?: boolean;
  active?: boolean;
  joined: string;
  bot?: { type: BotType; owner: number | null };
  profile?: Record<number, string>;
  /** Sent from feature level 433. */
  importedStub?: boolean;
  /** Sent (only when true) from feature level 490. */
  deleted?: boolean;
}

const SEED_MEMBERS: SeedMember[] = [
  { id: 5, name: 'Desdemona', email: 'desdemona@zulip.com', role: 100, timezone: 'Europe/Rome', uploaded: true, joined: '2019-10-20T07:50:53.720112+00:00',
    profile: { 1: '+1-555-0100', 4: '0', 5: '1604-11-01', 9: 'she/her' } },
  { id: 6, name: 'Shiva', email: 'shiva@zulip.com', role: 300, visibility: 2, timezone: 'Asia/Kolkata', joined: '2019-10-20T07:50:53.721438+00:00' },
  // aaron's address is stored in capitals in Zulip's test data: logins must match case-insensitively.
  { id: 7, name: 'aaron', email: 'AARON@zulip.com', timezone: '', joined: '2019-10-20T07:50:53.728864+00:00' },
  { id: 8, name: "Cordelia, Lear's daughter", email: 'cordelia@zulip.com', visibility: 2, timezone: 'America/New_York', uploaded: true,
    joined: '2019-10-20T07:50:53.726105+00:00', profile: { 2: "Youngest daughter of **King Lear**.\n* Honest\n* Banished", 9: 'she/her', 10: 'cordelia' } },
  // A link field that is not http(s), as a hostile or old server might send: clients must not link it.
  { id: 9, name: 'Othello, the Moor of Venice', email: 'othello@zulip.com', visibility: 3, timezone: 'Africa/Casablanca',
    joined: '2019-10-20T07:50:53.727001+00:00', profile: { 6: 'javascript:alert(1)', 3: 'Figs & dates <served> "fresh"' } },
  { id: 10, name: 'King Hamlet', email: 'hamlet@zulip.com', timezone: '', joined: '2019-10-20T07:50:53.729659+00:00',
    profile: {
      1: '+0-11-23-456-7890',
      2: 'I am:\n* The prince of Denmark\n* Nephew to the usurping Claudius',
      3: 'Dark chocolate',
      4: '0',
      5: '1900-01-01',
      6: 'https://blog.zulig.org',
      7: '[11]',
      8: 'zulipbot',
    } },
  // zulip.yaml's GET /users/me example gives Iago id 5, but its GET /users example makes 11 the
  // owner of Iago's Bot and Hamlet's mentor; 11 keeps the cross-references consistent.
  { id: 11, name: 'Iago', email: 'iago@zulip.com', role: 200, timezone: '', joined: '2019-10-20T07:50:53.728043+00:00',
    profile: {
      1: '+1-234-567-8901',
      2: 'Betrayer of Othello.',
      3: 'Apples',
      4: '1',
      5: '2000-01-01',
      6: 'https://zulip.readthedocs.io/en/latest/',
      7: '[10]',
      8: 'zulip',
      9: 'he/him',
    } },
  { id: 12, name: 'Prospero from The Tempest', email: 'prospero@zulip.com', visibility: 4, timezone: 'Pacific/Auckland', joined: '2019-10-20T07:50:53.730417+00:00' },
  { id: 13, name: 'Polonius', email: 'polonius@zulip.com', role: 600, timezone: 'Europe/Copenhagen', joined: '2019-10-20T07:50:53.731260+00:00' },
  { id: 14, name: 'ZOE', email: 'ZOE@zulip.com', timezone: 'America/Los_Angeles', uploaded: true, joined: '2019-10-20T07:50:53.732111+00:00' },
  { id: 15, name: 'Ophelia', email: 'ophelia@zulip.com', active: false, timezone: 'Europe/Copenhagen', joined: '2019-10-20T07:50:53.733004+00:00',
    profile: { 3: 'Rosemary tea' } },
  // A second "Iago": mentions must disambiguate with @**Iago|16**.
  { id: 16, name: 'Iago', email: 'iago.the.younger@zulip.com', visibility: 2, timezone: 'Asia/Tokyo', uploaded: true, joined: '2021-03-14T09:26:53.589793+00:00' },
  { id: 17, name: 'Zoë Łukasiewicz-Nguyễn', email: 'zoe.ln@zulip.com', visibility: 5, timezone: 'Asia/Ho_Chi_Minh', joined: '2022-01-05T16:02:11.000321+00:00',
    profile: { 3: 'Phở 🍜', 7: '[10, 11]', 9: 'she/they' } },
  { id: 18, name: '李白 (Li Bai)', email: 'li.bai@zulip.com', timezone: 'Asia/Shanghai', joined: '2022-07-07T07:07:07.070707+00:00' },
  { id: 19, name: 'ليلى الحكيم', email: 'layla@zulip.com', role: 600, visibility: 2, timezone: 'Asia/Kathmandu', uploaded: true, joined: '2023-02-28T23:59:59.999999+00:00' },
  // Made by a data import and never logged in (is_imported_stub, feature level 433).
  { id: 20, name: 'Marcellus', email: 'marcellus@zulip.com', visibility: 2, timezone: 'Europe/Copenhagen', joined: '2024-05-01T10:00:00.000000+00:00', importedStub: true },
  // A deleted account (is_deleted, feature level 490): deactivated, offered no actions.
  { id: 21, name: 'Reynaldo', email: 'reynaldo@zulip.com', visibility: 4, active: false, timezone: '', joined: '2020-02-02T02:02:02.000002+00:00', deleted: true },
  { id: 23, name: "Iago's Bot", email: 'iago-bot@zulipdev.com', bot: { type: 1, owner: 11 }, timezone: '', joined: '2019-10-20T12:52:17.862053+00:00' },
  { id: 24, name: 'Outgoing Webhook Bot', email: 'outgoing-webhook-bot@zulipdev.com', bot: { type: 3, owner: 10 }, joined: '2019-10-20T12:53:02.101215+00:00' },
  { id: 25, name: 'Zulip Webhook Bot', email: 'webhook-bot@zulip.com', bot: { type: 2, owner: 5 }, uploaded: true, joined: '2019-10-20T12:54:40.500034+00:00' },
  // A legacy bot without owner.
  { id: 26, name: 'Converter Bot', email: 'converter-bot@zulipdev.com', bot: { type: 4, owner: null }, joined: '2019-10-21T08:00:00.000001+00:00' },
  { id: 27, name: 'Old Bot', email: 'old-bot@zulipdev.com', bot: { type: 1, owner: 11 }, active: false, joined: '2019-10-22T08:00:00.000002+00:00' },
];

const CROSS_REALM_BOTS: ReadonlyArray<[number, string, string]> = [
  [1, 'Notification Bot', 'notification-bot@zulip.com'],
  [2, 'Email Gateway', 'emailgateway@zulip.com'],
  [3, 'Welcome Bot', 'welcome-bot@zulip.com'],
];

function seedRecord(org: Org, random: Random, member: SeedMember): UserRecord {
  const user: UserRecord = {
    user_id: member.id,
    delivery_email: member.email,
    full_name: member.name,
    date_joined: member.joined,
    is_active: member.active ?? true,
    role: member.role ?? 400,
    is_bot: member.bot !== undefined,
    bot_type: member.bot?.type ?? null,
    bot_owner_id: member.bot?.owner ?? null,
    timezone: member.timezone ?? '',
    avatar_source: member.uploaded ? 'U' : 'G',
    avatar_hash: hexFrom(random, 40),
    avatar_version: member.uploaded ? 2 : 1,
    email_address_visibility: member.bot ? 1 : (member.visibility ?? 1),
    profile_data: new Map(),
    api_key: apiKeyFrom(random),
  };
  if (member.importedStub) user.is_imported_stub = true;
  if (member.deleted) user.is_deleted = true;
  for (const [fieldId, value] of Object.entries(member.profile ?? {})) {
    const field = org.profileFields.find((f) => f.id === Number(fieldId));
    if (!field) throw new Error(`Seed refers to unknown field ${fieldId}`);
    user.profile_data.set(field.id, org.profileValue(field, { value }));
  }
  return user;
}


function group(
  id: number,
  name: string,
  description: string,
  membership: UserGroupRecord['membership'],
  subgroups: number[],
  extra: Partial<UserGroupRecord> = {},
): UserGroupRecord {
  const system = membership.kind === 'roles';
  return {
    id,
    name,
    description,
    membership,
    direct_subgroup_ids: subgroups,
    is_system_group: system,
    creator_id: system ? null : 11,
    date_created: system ? null : 1_600_000_000 + id * 86_400,
    deactivated: false,
    settings: { ...DEFAULT_GROUP_SETTINGS },
    ...extra,
  };
}

function seedGroups(): UserGroupRecord[] {
  return [
    group(1, 'role:internet', 'Everyone on the Internet', { kind: 'roles', roles: [] }, [2]),
    group(2, 'role:everyone', 'Everyone including guests', { kind: 'roles', roles: [600] }, [3]),
    group(3, 'role:members', 'Everyone except guests', { kind: 'roles', roles: [] }, [4]),
    group(4, 'role:fullmembers', 'Members of this organization, not including new accounts and guests', { kind: 'roles', roles: [400] }, [5]),
    group(5, 'role:moderators', 'Moderators of this organization, including administrators', { kind: 'roles', roles: [300] }, [6]),
    group(6, 'role:administrators', 'Administrators of this organization, including owners', { kind: 'roles', roles: [200] }, [7]),
    group(7, 'role:owners', 'Owners of this organization', { kind: 'roles', roles: [100] }, []),
    group(8, 'role:nobody', 'Nobody', { kind: 'roles', roles: [] }, []),
    group(9, 'hamletcharacters', 'Characters of Hamlet', { kind: 'users', userIds: [10, 8] }, []),
    group(10, 'backend', 'Backend team', { kind: 'users', userIds: [5, 11, 6] }, [9], {
      settings: { ...DEFAULT_GROUP_SETTINGS, can_mention_group: { direct_members: [11], direct_subgroups: [6] } },
    }),
    group(11, "Shakespeare's villains", 'Schemers and usurpers', { kind: 'users', userIds: [11, 16, 9, 15] }, []),
    group(12, 'old-team', 'A team that no longer exists', { kind: 'users', userIds: [7, 14] }, [], { deactivated: true }),
    group(13, 'frontend', 'Web and editor front ends', { kind: 'users', userIds: [17, 18, 14] }, []),
    // Two levels of subgroups: engineering > backend > hamletcharacters.
    group(14, 'engineering', 'Everyone who builds things', { kind: 'users', userIds: [12] }, [10, 13]),
  ];
}

export function defaultRealm(featureLevel: number, realmName: string): RealmSettings {
  return {
    name: realmName,
    description: "<p>The Zulip development environment default organization.  It's great for testing!</p>",
    realmId: 2,
    fakeEmailDomain: 'zulip.testserver',
    dateCreated: 1_571_557_853,
    deactivated: false,
    jwtEnabled: true,
    featureLevel,
    zulipVersion: '10.2',
    iconPath: '/static/images/logo/zulip-icon-128x128.png',
    guestsRestricted: false,
    defaultCodeBlockLanguage: '',
  };
}

export interface BuildOrgOptions {
  seed: string | number;
  generatedMembers: number;
  realm: RealmSettings;
  /** UNIX seconds the presence data is relative to. */
  now?: number;
  /** User groups generated beyond the seeded ones (benchmarks: up to 5,000). */
  generatedGroups?: number;
  /** Share of generated members (0 to 1) given a status. */
  generatedStatusShare?: number;
}

export function buildOrg(options: BuildOrgOptions): Org {
  const org = new Org(options.realm, options.seed);
  const random = new Random(`${options.seed}:seed-members`);
  org.profileFields = seedProfileFields();
  for (const member of SEED_MEMBERS) org.load(seedRecord(org, random, member));
  for (const [id, name, email] of CROSS_REALM_BOTS) {
    const bot = seedRecord(org, random, { id, name, email, bot: { type: 1, owner: null }, joined: '2019-10-20T07:40:00.000000+00:00' });
    bot.is_system_bot = true;
    org.loadCrossRealmBot(bot);
  }
  org.userGroups.push(...seedGroups());
  const now = options.now ?? org.clock.unix();
  seedPresence(org, now);
  seedEmoji(org);
  seedStatuses(org);
  if (options.generatedMembers !== 0) generateMembers(org, options.generatedMembers, options.seed, now);
  if (options.generatedGroups) generateGroups(org, options.generatedGroups, options.seed);
  if (options.generatedStatusShare) generateStatuses(org, options.generatedStatusShare, options.seed);
  return org;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Who is present, and since when: every state a client must show. */
export const SEED_PRESENCE: ReadonlyArray<{ id: number; activeAgo: number | null; connectedAgo: number; what: string }> = [
  { id: 10, activeAgo: 0, connectedAgo: 0, what: 'active now' },
  { id: 5, activeAgo: 30, connectedAgo: 30, what: 'active now' },
  { id: 17, activeAgo: 10, connectedAgo: 10, what: 'active now' },
  { id: 11, activeAgo: 20 * MINUTE, connectedAgo: MINUTE, what: 'idle (connected, not active for 20 minutes)' },
  { id: 6, activeAgo: 15 * MINUTE, connectedAgo: 5 * MINUTE, what: 'offline, active 15 minutes ago' },
  { id: 8, activeAgo: 10 * MINUTE, connectedAgo: 10 * MINUTE, what: 'offline, active 10 minutes ago' },
  { id: 14, activeAgo: 3 * HOUR, connectedAgo: 3 * HOUR, what: 'active 3 hours ago' },
  { id: 16, activeAgo: 26 * HOUR, connectedAgo: 25 * HOUR, what: 'active yesterday' },
  { id: 7, activeAgo: 2 * DAY, connectedAgo: 2 * DAY, what: 'active 2 days ago' },
  { id: 13, activeAgo: HOUR, connectedAgo: HOUR, what: 'a guest, active an hour ago' },
  { id: 19, activeAgo: 20 * DAY, connectedAgo: 20 * DAY, what: 'beyond the 14 days Zulip sends by default' },
];

/** Li Bai turned presence off ("invisible"): shown offline whatever they do, away in their status. */
export const INVISIBLE_USER_ID = 18;

function seedPresence(org: Org, now: number): void {
  for (const { id, activeAgo, connectedAgo } of SEED_PRESENCE) org.loadPresence(id, activeAgo === null ? null : now - activeAgo, now - connectedAgo);
  const invisible = org.getUser(INVISIBLE_USER_ID);
  if (invisible) {
    invisible.presence_enabled = false;
    org.loadPresence(INVISIBLE_USER_ID, null, now - INVISIBLE_OFFSET_SECONDS);
  }
}

/** Ids of the seeded custom emoji. */
export const SEED_EMOJI = { greenTick: '1', skull: '2', retired: '3' } as const;

function seedEmoji(org: Org): void {
  org.realmEmoji.push(
    { id: SEED_EMOJI.greenTick, name: 'green_tick', author_id: 5, deactivated: false },
    { id: SEED_EMOJI.skull, name: 'yorick', author_id: 10, deactivated: false },
    { id: SEED_EMOJI.retired, name: 'old_logo', author_id: null, deactivated: true },
  );
}

function seedStatuses(org: Org): void {
  org.loadStatus(10, { status_text: 'To be, or not to be', emoji_name: 'thinking', emoji_code: '1f914', reaction_type: 'unicode_emoji' });
  org.loadStatus(11, { status_text: 'Reviewing pull requests', emoji_name: 'green_tick', emoji_code: SEED_EMOJI.greenTick, reaction_type: 'realm_emoji' });
  org.loadStatus(5, { status_text: 'In a meeting', emoji_name: 'calendar', emoji_code: '1f4c6', reaction_type: 'unicode_emoji' });
  org.loadStatus(8, { status_text: 'On vacation until Monday' });
  org.loadStatus(17, { emoji_name: 'palm_tree', emoji_code: '1f334', reaction_type: 'unicode_emoji' });
  org.loadStatus(6, { status_text: 'Working on Zulip', emoji_name: 'zulip', emoji_code: 'zulip', reaction_type: 'zulip_extra_emoji' });
  // Li Bai went invisible through the status endpoint's away: a row with nothing else set.
  org.loadStatus(INVISIBLE_USER_ID, {});
  org.loadStatus(16, { status_text: 'With family', emoji_name: 'family_man_woman_girl', emoji_code: '1f468-200d-1f469-200d-1f467', reaction_type: 'unicode_emoji' });
}
