// A Markdown document of the kind people hover mentions in (meeting notes, a changelog), made
// from an organization's real members and groups: plain names (unique and shared), unknown
// names, `|id` forms (right, wrong name, unknown id), silent forms, wildcards and user groups,
// among ordinary text, lists, headings, inline code and emphasis. Deterministic for a seed.
import type { User, UserGroup } from '../src/zulip/types';

/** What one hover of the document is expected to show (for the per-kind breakdown). */
export type MentionKind = 'unique' | 'ambiguous' | 'unknown' | 'id' | 'id-mismatch' | 'id-unknown' | 'silent' | 'wildcard' | 'group' | 'large-group';

export interface Hover {
  line: number;
  /** The character under the pointer (inside the mention). */
  offset: number;
  kind: MentionKind;
}

export interface MentionDocument {
  text: string;
  lines: string[];
  /** Where the generator put a mention; checked against the parser by the benchmark. */
  hovers: Hover[];
}

/** Share of each kind among the mentions. */
const MIX: readonly [MentionKind, number][] = [
  ['unique', 0.3],
  ['ambiguous', 0.15],
  ['unknown', 0.08],
  ['id', 0.18],
  ['id-mismatch', 0.02],
  ['id-unknown', 0.02],
  ['silent', 0.1],
  ['wildcard', 0.05],
  ['group', 0.09],
  ['large-group', 0.01],
];

const FILLER = [
  'Thanks for the review,',
  'Can you take a look at this?',
  'as discussed in the last meeting.',
  'is on call this week; ping',
  'The deploy is scheduled for Thursday.',
  'Follow-up:',
  'see the design doc.',
  'owns the `billing` module; ask',
  'Blocked on CI again.',
  'Agreed with',
  'Notes from the retro (**action items** below).',
];

const UNKNOWN_NAMES = ['Nobody Atall', 'Former Contractor', 'Ghost Writer', 'Jane Doe', 'Zaphod Beeblebrox'];
const WILDCARDS = ['all', 'everyone', 'channel', 'stream', 'topic'];

/** mulberry32: small, fast, deterministic. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mentionDocument(users: readonly User[], groups: readonly UserGroup[], mentions = 3000, seed = 6): MentionDocument {
  const rand = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const active = users.filter((u) => u.is_active);
  const byName = new Map<string, User[]>();
  for (const u of users) {
    const key = u.full_name.toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), u]);
  }
  const unique = active.filter((u) => byName.get(u.full_name.toLowerCase())!.length === 1);
  const shared = active.filter((u) => byName.get(u.full_name.toLowerCase())!.length > 1);
  const maxId = Math.max(...users.map((u) => u.user_id));
  // Groups people write: the organization's own; system groups (role:…) only as the rare large one.
  const teamGroups = groups.filter((g) => !g.is_system_group);
  const largeGroups = groups.filter((g) => g.is_system_group && (g.members?.length ?? 0) > 0);

  const mention = (kind: MentionKind): string => {
    switch (kind) {
      case 'unique':
        return `@**${pick(unique.length ? unique : active).full_name}**`;
      case 'ambiguous':
        return `@**${pick(shared.length ? shared : active).full_name}**`;
      case 'unknown':
        return `@**${pick(UNKNOWN_NAMES)}**`;
      case 'id': {
        const u = pick(active);
        return `@**${u.full_name}|${u.user_id}**`;
      }
      case 'id-mismatch':
        return `@**${pick(UNKNOWN_NAMES)}|${pick(active).user_id}**`;
      case 'id-unknown':
        return `@**${pick(UNKNOWN_NAMES)}|${maxId + 1 + Math.floor(rand() * 1000)}**`;
      case 'silent': {
        const u = pick(active);
        return rand() < 0.5 ? `@_**${u.full_name}|${u.user_id}**` : `@_**${u.full_name}**`;
      }
      case 'wildcard':
        return `@**${pick(WILDCARDS)}**`;
      case 'group': {
        const roll = rand();
        if (roll < 0.1) return `@*no-such-team*`;
        const g = pick(teamGroups.length ? teamGroups : groups);
        if (roll < 0.2) return `@*${g.name.toUpperCase()}*`;
        if (roll < 0.35) return `@_*${g.name}*`;
        return `@*${g.name}*`;
      }
      case 'large-group':
        return `@*${pick(largeGroups.length ? largeGroups : groups).name}*`;
    }
  };
  const kindAt = (roll: number): MentionKind => {
    for (const [kind, share] of MIX) {
      if (roll < share) return kind;
      roll -= share;
    }
    return 'unique';
  };

  const lines: string[] = [];
  const hovers: Hover[] = [];
  let written = 0;
  let section = 0;
  while (written < mentions) {
    if (written >= section * 100) {
      lines.push('', `## Week ${++section}`, '');
    }
    // A line: some text, one to three mentions, sometimes a list item or inline code.
    const count = 1 + Math.floor(rand() * 3);
    let line = rand() < 0.3 ? '- ' : '';
    const placed: { at: number; length: number; kind: MentionKind }[] = [];
    for (let i = 0; i < count; i++) {
      line += pick(FILLER) + ' ';
      if (rand() < 0.1) line += '`@**not a mention**` ';
      const kind = kindAt(rand());
      const text = mention(kind);
      placed.push({ at: line.length, length: text.length, kind });
      line += text + (rand() < 0.3 ? ',' : '') + ' ';
      written++;
    }
    line += pick(FILLER);
    for (const p of placed) hovers.push({ line: lines.length, offset: p.at + Math.floor(p.length / 2), kind: p.kind });
    lines.push(line);
  }
  return { text: lines.join('\n'), lines, hovers };
}
