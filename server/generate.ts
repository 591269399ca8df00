// Deterministic generator of many more members, for scale tests (up to 100,000) and for variety:
// unicode and duplicate names, every role, bots of every type, deactivated accounts, all email
// visibilities, Gravatar and uploaded avatars, custom profile data on about a third.
import type { Org } from './org';
import { isoWithMicros } from './org';
import { DEFAULT_GROUP_SETTINGS } from './groups';
import { SECONDS_PER_DAY } from './presence';
import { apiKeyFrom, hexFrom, Random } from './random';
import { GENERATED_STATUS_EMOJI } from './userStatus';
import type { BotType, CustomProfileField, EmailVisibility, ProfileValue, Role, UserRecord } from './types';

export const MAX_GENERATED_MEMBERS = 100_000;
/** Generated members' ids start here, after the seed's. */
export const FIRST_GENERATED_ID = 100;

const FIRST_NAMES = [
  'Amelia', 'Ben', 'Chiara', 'Dmitri', 'Elif', 'Fatima', 'Gábor', 'Hiroshi', 'Ingrid', 'Jamal', 'Kwame',
  'Léa', 'Mateo', 'Nadia', 'Oskar', 'Priya', 'Quentin', 'Rosa', 'Søren', 'Tomás', 'Ursula', 'Viktor',
  'Wei', 'Ximena', 'Yusuf', 'Zoë', 'Ana', 'Björn', 'Chloé', 'Đorđe', 'Émile', 'Fernando', 'Giulia',
  'Hana', 'Ifeoma', 'José', 'Kai', 'Łucja', 'Mei', 'Olga', 'Pedro', 'Raúl', 'Siobhán', 'Takumi',
  'Uchenna', 'Valentina', 'Wojciech', 'Yara', 'Zainab', '李', 'Анна', 'محمد', 'Αλέξανδρος', 'אורי',
  'Sam', 'Alex', 'Maria', 'John', 'Fatoumata', 'Nikolaj',
];

const LAST_NAMES = [
  'Smith', 'García', 'Müller', 'Kowalski', 'Nakamura', 'Okafor', 'Rossi', 'Dubois', 'Novák', 'Johansson',
  "O'Brien", 'Fernández', 'Kim', 'Singh', 'Haddad', 'Ivanov', 'Nieminen', 'Papadopoulos', 'Yılmaz',
  'Nguyen', 'Silva', 'van der Berg', 'MacLeod', 'Øvergaard', 'Ålund', 'Schmidt', 'Brown', 'Martin', 'Lee',
  'Chen', 'Wang', 'Kumar', 'Mensah', 'Cohen', 'Petrović', 'Horváth', 'Sánchez', 'Dupont', 'Jensen',
  'Andersson', '王', 'Петров', 'Zulu', 'Khan', 'Ahmed', 'Tanaka', 'Sato', 'Becker', 'Moreau', 'Conti',
];

const BOT_WORDS = ['Build', 'Deploy', 'Standup', 'Alert', 'Digest', 'Triage', 'Weather', 'Trivia', 'Release', 'Backup'];

/** Includes "" (never set) and zones with unusual offsets. */
export const TIMEZONES = [
  '', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Tokyo', 'UTC', 'America/Los_Angeles',
  'Europe/London', 'Australia/Sydney', 'America/Sao_Paulo', 'Africa/Lagos', 'Asia/Kathmandu',
  'Pacific/Chatham', 'America/St_Johns', 'Asia/Tehran', 'Pacific/Kiritimati',
];

const FOODS = ['Pizza', 'Sushi', 'Injera', 'Tacos', 'Pierogi', 'Dosa', 'Ramen', 'Falafel', 'Pho', 'Kimchi'];
const BIOS = [
  'Working on **infrastructure**.',
  'Loves:\n* hiking\n* open source',
  'Docs, tests and `TypeScript`.',
  'On call this week.',
  'Ask me about <b>HTML</b> & "escaping".',
];
const PRONOUNS = ['she/her', 'he/him', 'they/them', 'she/they', 'he/they'];

function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

function pickRole(random: Random): Role {
  const roll = random.next();
  if (roll < 0.01) return 100;
  if (roll < 0.04) return 200;
  if (roll < 0.08) return 300;
  if (roll < 0.18) return 600;
  return 400;
}

function pickVisibility(random: Random): EmailVisibility {
  const roll = random.next();
  if (roll < 0.55) return 1;
  if (roll < 0.75) return 2;
  if (roll < 0.87) return 3;
  if (roll < 0.95) return 4;
  return 5;
}

/** Adds `count` members after the existing ones. Same seed, same members. */
export function generateMembers(org: Org, count: number, seed: string | number, now: number): void {
  if (!Number.isInteger(count) || count < 0 || count > MAX_GENERATED_MEMBERS) {
    throw new RangeError(`generatedMembers must be an integer from 0 to ${MAX_GENERATED_MEMBERS}`);
  }
  const random = new Random(`${seed}:generated-members`);
  let firstId = FIRST_GENERATED_ID;
  for (const id of org.users.keys()) firstId = Math.max(firstId, id + 1);
  const humans: number[] = [...org.users.values()].filter((u) => !u.is_bot).map((u) => u.user_id);
  const recentNames: string[] = [];
  const joinedBase = Date.UTC(2020, 0, 1);
  const fieldsById = new Map(org.profileFields.map((field) => [field.id, field]));

  for (let i = 0; i < count; i++) {
    const id = firstId + i;
    const isBot = random.chance(0.03);
    let fullName: string;
    let email: string;
    if (isBot) {
      const word = random.pick(BOT_WORDS);
      fullName = `${word} Bot`;
      email = `${word.toLowerCase()}-bot-${id}@zulip.example`;
    } else if (recentNames.length > 0 && random.chance(0.04)) {
      // Same full name as someone else: clients must tell them apart by id.
      fullName = random.pick(recentNames);
      email = `${asciiSlug(fullName) || 'member'}.${id}@example.com`;
    } else {
      const first = random.pick(FIRST_NAMES);
      const last = random.pick(LAST_NAMES);
      fullName = random.chance(0.02) ? first : `${first} ${last}`;
      email = `${asciiSlug(first) || 'member'}.${asciiSlug(last) || 'x'}.${id}@example.com`;
    }
    const uploaded = random.chance(0.6);
    const user: UserRecord = {
      user_id: id,
      delivery_email: email,
      full_name: fullName,
      // About 37 minutes apart, with microseconds like Python's isoformat().
      date_joined: isoWithMicros(new Date(joinedBase + i * 2_220_000 + random.int(1000))),
      is_active: !random.chance(0.05),
      role: isBot ? (random.chance(0.1) ? 200 : 400) : pickRole(random),
      is_bot: isBot,
      bot_type: isBot ? ((1 + random.int(4)) as BotType) : null,
      bot_owner_id: null,
      timezone: random.pick(TIMEZONES),
      avatar_source: uploaded ? 'U' : 'G',
      avatar_hash: hexFrom(random, 40),
      avatar_version: 1 + random.int(3),
      email_address_visibility: isBot ? 1 : pickVisibility(random),
      profile_data: new Map(),
      api_key: apiKeyFrom(random),
    };
    if (isBot) {
      user.bot_owner_id = random.chance(0.1) ? null : random.pick(humans);
    } else {
      if (random.chance(1 / 3)) addProfileData(user, random, humans, fieldsById, org);
      humans.push(id);
      recentNames.push(fullName);
      if (recentNames.length > 64) recentNames.shift();
    }
    org.load(user);
    if (user.is_active && !isBot && random.chance(0.3)) {
      const connected = now - random.int(3 * SECONDS_PER_DAY);
      // Seven in ten were active when last connected; the others idle for a while before.
      org.loadPresence(id, random.chance(0.7) ? connected : connected - 60 * (5 + random.int(120)), connected);
    }
  }
}

function addProfileData(
  user: UserRecord,
  random: Random,
  humans: number[],
  fieldsById: Map<number, CustomProfileField>,
  org: Org,
): void {
  const set = (fieldId: number, value: string): void => {
    const field = fieldsById.get(fieldId);
    if (!field) return;
    const stored: ProfileValue = org.profileValue(field, { value });
    user.profile_data.set(fieldId, stored);
  };
  if (random.chance(0.5)) set(1, `+1-555-${String(1000 + random.int(9000))}`);
  if (random.chance(0.5)) set(2, random.pick(BIOS));
  if (random.chance(0.5)) set(3, random.pick(FOODS));
  if (random.chance(0.5)) set(4, String(random.int(2)));
  if (random.chance(0.3)) set(5, `19${50 + random.int(50)}-0${1 + random.int(9)}-1${random.int(10)}`);
  if (random.chance(0.3)) set(6, `https://example.com/~${asciiSlug(user.full_name) || 'me'}`);
  if (random.chance(0.3)) set(7, `[${random.pick(humans)}]`);
  if (random.chance(0.3)) set(8, asciiSlug(user.full_name) || 'octocat');
  if (random.chance(0.4)) set(9, random.pick(PRONOUNS));
}

export const MAX_GENERATED_GROUPS = 5_000;

const GROUP_WORDS = ['platform', 'design', 'support', 'sales', 'infra', 'mobile', 'data', 'security', 'docs', 'qa', 'growth', 'ops'];

/**
 * Adds `count` user groups after the existing ones, each with 2 to 40 direct members among the
 * active humans and, for one in four, a subgroup among the groups made before it.
 */
export function generateGroups(org: Org, count: number, seed: string | number): void {
  if (!Number.isInteger(count) || count < 0 || count > MAX_GENERATED_GROUPS) {
    throw new RangeError(`generatedGroups must be an integer from 0 to ${MAX_GENERATED_GROUPS}`);
  }
  const random = new Random(`${seed}:generated-groups`);
  const humans = [...org.users.values()].filter((u) => u.is_active && !u.is_bot).map((u) => u.user_id);
  const firstId = 1 + org.userGroups.reduce((max, g) => Math.max(max, g.id), 0);
  const template = org.userGroups.find((g) => !g.is_system_group);
  for (let i = 0; i < count; i++) {
    const id = firstId + i;
    const size = Math.min(humans.length, 2 + random.int(39));
    const members = new Set<number>();
    while (members.size < size) members.add(random.pick(humans));
    const subgroups = i > 0 && random.chance(0.25) ? [firstId + random.int(i)] : [];
    org.userGroups.push({
      id,
      name: `${random.pick(GROUP_WORDS)}-${id}`,
      description: `Generated group ${id}`,
      membership: { kind: 'users', userIds: [...members] },
      direct_subgroup_ids: subgroups,
      is_system_group: false,
      creator_id: random.pick(humans),
      date_created: 1_600_000_000 + id * 3_600,
      deactivated: random.chance(0.02),
      settings: structuredClone(template?.settings ?? DEFAULT_GROUP_SETTINGS),
    });
  }
}

const STATUS_TEXTS = ['In a meeting', 'Commuting', 'Out sick', 'Vacationing', 'Working remotely', 'Focus time', 'At lunch', ''];
const STATUS_EMOJI = Object.entries(GENERATED_STATUS_EMOJI);

/** Gives a status to `share` (0 to 1) of the generated members: text, emoji, or both. */
export function generateStatuses(org: Org, share: number, seed: string | number): void {
  if (!(share >= 0 && share <= 1)) throw new RangeError('generatedStatusShare must be between 0 and 1');
  const random = new Random(`${seed}:generated-statuses`);
  for (const user of org.users.values()) {
    if (user.user_id < FIRST_GENERATED_ID || user.is_bot || !random.chance(share)) continue;
    const text = random.pick(STATUS_TEXTS);
    const [name, code] = random.pick(STATUS_EMOJI);
    const withEmoji = text === '' || random.chance(0.7);
    org.loadStatus(user.user_id, withEmoji ? { status_text: text, emoji_name: name, emoji_code: code, reaction_type: 'unicode_emoji' } : { status_text: text });
  }
}
