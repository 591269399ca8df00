// Times what a hover and a palette keystroke cost at 100,000 members, in plain Node:
//   npx tsx bench/mentions.ts [members]
// Hover: mention text → card content (parse, resolve, render), as the hover provider runs it.
// Palette: the member search "Find Member…" runs on each keystroke.
// Prints median and p99; not a test (no thresholds).
import { findMembers } from '../src/model/findMembers';
import { MemberIndex } from '../src/model/memberIndex';
import { avatarUrl, pronounsOf } from '../src/model/memberInfo';
import { mentionCardAt, type CardOrganization } from '../src/views/mentionCard';
import { withUserDefaults } from '../src/zulip/client';
import type { User } from '../src/zulip/types';

const count = Number(process.argv[2] ?? 100_000);
const site = 'https://bench.zulip.example';
const first = ['Ann', 'Bob', 'Cy', 'Dana', 'Émile', 'Fatima', 'Gao', 'Hamlet', 'Iago', 'Juno', 'Kai', 'Lena', 'Zoë'];
const last = ['Lee', 'Stone', 'Nguyễn', 'Okafor', 'Schmidt', 'García', '王', 'Kowalski', 'Smith', 'Ivanova'];

function makeUser(i: number): User {
  // Names repeat every 130 × 1000: some names are shared, as in real organizations.
  const name = `${first[i % first.length]} ${last[Math.floor(i / first.length) % last.length]} ${Math.floor(i / 130) % 1000}`;
  return withUserDefaults({
    user_id: i + 1,
    full_name: name,
    email: i % 3 === 0 ? `user${i + 1}@bench.zulip.example` : `${name.toLowerCase().replace(/\s+/g, '.')}@example.com`,
    delivery_email: i % 3 === 0 ? null : `${name.toLowerCase().replace(/\s+/g, '.')}@example.com`,
    timezone: ['Europe/Berlin', 'Asia/Tokyo', 'America/New_York', ''][i % 4],
    role: [400, 400, 400, 300, 200, 600][i % 6],
    profile_data: i % 5 === 0 ? { '8': { value: 'they/them' } } : undefined,
  });
}

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(3)} ms, p99 ${at(0.99).toFixed(3)} ms, max ${sorted[sorted.length - 1].toFixed(3)} ms (${samples.length} runs)`;
}

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const users = Array.from({ length: count }, (_, i) => makeUser(i));
const members = new MemberIndex(users);
const org: CardOrganization = {
  id: `${site}|me@example.com`,
  name: 'Bench',
  members,
  avatarOf: (user) => avatarUrl(user, site),
  pronounsOf: (user) => pronounsOf(user, [8]),
  presenceOf: () => 'active',
};

// The first lookups build the name map and the search text (once per change of the index).
console.log(`${count} members`);
console.log(`palette opening, first page with nothing typed: ${time(() => findMembers(members, '', 200)).toFixed(1)} ms`);
console.log(`first name lookup (builds the name map): ${time(() => members.byName('x')).toFixed(1)} ms`);
console.log(`first search (builds the search text): ${time(() => members.search('x', 200)).toFixed(1)} ms`);

const now = new Date();
const lines: string[] = [];
for (let i = 0; i < 2000; i++) {
  const user = users[(i * 7919) % users.length];
  const forms = [`@**${user.full_name}**`, `@**${user.full_name}|${user.user_id}**`, `@**|${user.user_id}**`, `@_**${user.full_name.toUpperCase()}**`, '@**Nobody Called This**', '@**all**'];
  lines.push(`- Notes from the sync, with ${forms[i % forms.length]} taking notes.`);
}
for (const line of lines.slice(0, 200)) mentionCardAt(line, 30, [org], undefined, { now }); // warm-up
const hover = lines.map((line) => time(() => mentionCardAt(line, 30, [org], undefined, { now })));
console.log(`hover, mention text → card content: ${stats(hover)}`);

const typed = ['a', 'an', 'ann', 'ann ', 'ann l', 'ann le', 'ann lee', 'ann lee 4', 'zoë', 'smith 9', 'example.com', 'user3', '4242', 'nobody@nowhere.example', 'xyz'];
for (const q of typed) findMembers(members, q, 200); // warm-up
const palette: number[] = [];
for (let round = 0; round < 20; round++) for (const q of typed) palette.push(time(() => findMembers(members, q, 200)));
console.log(`palette, one keystroke's search (≤ 200 items): ${stats(palette)}`);
for (const q of ['a', 'ann lee', 'xyz', '4242']) console.log(`  "${q}": ${stats(Array.from({ length: 30 }, () => time(() => findMembers(members, q, 200))))}`);
