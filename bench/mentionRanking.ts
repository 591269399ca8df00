// Times mention ranking (src/model/mentionRanking.ts) at 100,000 members, in plain Node:
//   npx tsx bench/mentionRanking.ts [members] [--json]
// The first query builds the folded-name table; later ones reuse it until the index changes.
// Prints median and p99 per query (with --json, one line of medians for npm run bench); not a
// test (no thresholds). Target: 3 letters ≤ 5 ms.
import { MemberIndex } from '../src/model/memberIndex';
import { rankMembers } from '../src/model/mentionRanking';
import { withUserDefaults } from '../src/zulip/client';
import type { User } from '../src/zulip/types';
import { median, medianAndP99 } from './stats';

const args = process.argv.slice(2);
const json = args.includes('--json');
const count = Number(args.find((a) => !a.startsWith('--')) ?? 100_000);
const RUNS = 200;
const LIMIT = 50;
const first = ['Ann', 'Bob', 'Cy', 'Dana', 'Émile', 'Fatima', 'Gao', 'Hamlet', 'Iago', 'Juno', 'Kai', 'Lena', 'Zoë'];
const last = ['Lee', 'Stone', 'Nguyễn', 'Okafor', 'Schmidt', 'García', '王', 'Kowalski', 'Smith', 'Ivanova'];

function makeUser(i: number): User {
  const name = `${first[i % first.length]} ${last[Math.floor(i / first.length) % last.length]} ${Math.floor(i / 130) % 1000}`;
  return withUserDefaults({
    user_id: i + 1,
    full_name: name,
    email: i % 3 === 0 ? `user${i + 1}@bench.zulip.example` : `${name.toLowerCase().replace(/\s+/g, '.')}@example.com`,
    is_bot: i % 50 === 0,
    is_active: i % 40 !== 0,
  });
}

const log = (line: string) => {
  if (!json) console.log(line);
};
/** Median per query. */
const medians: Record<string, number> = {};

const index = new MemberIndex(Array.from({ length: count }, (_, i) => makeUser(i)));
let start = performance.now();
rankMembers('x', index, LIMIT);
const firstMs = performance.now() - start;
log(`${count} members; first query (folds every name once): ${firstMs.toFixed(1)} ms`);
for (const query of ['ann', 'zoe', 'ngu', 'lee', 'ann lee', 'hamlet stone 12', '4711', 'user77']) {
  const samples: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    start = performance.now();
    rankMembers(query, index, LIMIT);
    samples.push(performance.now() - start);
  }
  medians[query] = median(samples);
  log(`"${query}": ${medianAndP99(samples)}`);
}
index.update({ user_id: 5, full_name: 'Renamed Person' });
start = performance.now();
rankMembers('ren', index, LIMIT);
const afterRenameMs = performance.now() - start;
log(`first query after a rename (table rebuilt, names folded before are reused): ${afterRenameMs.toFixed(1)} ms`);
if (json) console.log(JSON.stringify({ members: count, firstMs, afterRenameMs, medians }));
