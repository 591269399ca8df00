// Runs the conformance table (mentionConformance.data.ts) through the document parser, the
// resolver and the outcome rules, against Zulip's test realm.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemberIndex } from '../../src/model/memberIndex';
import { parseDocument } from '../../src/model/mentionDocument';
import { resolveMention, type MentionOrganization } from '../../src/model/mentionResolver';
import { mentionOutcome, type MentionOutcome } from '../../src/model/mentionRules';
import { withUserDefaults } from '../../src/zulip/client';
import type { User, UserGroup } from '../../src/zulip/types';
import * as D from './mentionConformance.data';

const MINIMUM_CASES = 100;

const user = (user_id: number, full_name: string, over: Partial<User> = {}): User => withUserDefaults({ user_id, full_name, email: `user${user_id}@zulip.example`, ...over });

const MEMBERS: User[] = [
  user(D.HAMLET, 'King Hamlet'),
  user(D.OTHELLO, 'Othello, the Moor of Venice'),
  user(D.CORDELIA, "Cordelia, Lear's daughter"),
  user(D.AARON, 'aaron'),
  user(D.IAGO, 'Iago'),
  user(D.TWIN1, 'Mark Twin'),
  user(D.TWIN2, 'Mark Twin'),
  user(D.ATOMIC, 'Atomic #123'),
  user(D.FORMER, 'Former Member', { is_active: false }),
  user(D.WELCOME_BOT, 'Welcome Bot', { is_bot: true }),
  user(D.NAMED_ALL, 'all'),
  user(D.PIPE, 'Pipe|12'),
  user(D.STAR, 'Star*Man'),
];
const CROSS_REALM_BOTS = [user(D.NOTIFICATION_BOT, 'Notification Bot', { is_bot: true })];
/** Othello sends the messages in Zulip's tests. */
const SENDER = D.OTHELLO;
const EVERYONE_GROUP = 9;

const group = (id: number, name: string, over: Partial<UserGroup> = {}): UserGroup => ({ id, name, description: '', members: [D.OTHELLO], direct_subgroup_ids: [], can_mention_group: EVERYONE_GROUP, ...over });
const GROUPS: UserGroup[] = [
  group(D.SUPPORT, 'support'),
  group(D.BACKEND, 'backend'),
  group(D.FRONTEND, 'frontend'),
  group(D.SUPPORT_123, 'support #123'),
  group(D.OLD_TEAM, 'oldteam', { deactivated: true }),
  group(D.ADMINS, 'role:administrators', { is_system_group: true, members: [D.IAGO] }),
  group(D.DESIGN, 'Design'),
  group(D.LEADS, 'leads', { can_mention_group: { direct_members: [D.IAGO], direct_subgroups: [] } }),
  group(EVERYONE_GROUP, 'role:everyone', { is_system_group: true, members: MEMBERS.map((u) => u.user_id) }),
];

function describe(outcome: MentionOutcome, userId: number | undefined, groupId: number | undefined, wildcard: 'channel' | 'topic' | undefined): string {
  if (outcome.display === 'text') return 'text';
  const who = wildcard === 'channel' ? '*' : wildcard === 'topic' ? 'topic' : groupId !== undefined ? `g${groupId}` : userId !== undefined ? `@${userId}` : '@?';
  return `${outcome.display} ${who}`;
}

test(`the conformance table has at least ${MINIMUM_CASES} cases, each naming its source`, () => {
  assert.ok(D.CASES.length >= MINIMUM_CASES, `${D.CASES.length} cases`);
  for (const c of D.CASES) assert.match(c.source, /\S/);
});

for (const [index, c] of D.CASES.entries()) {
  test(`#${index} ${c.source}: ${JSON.stringify(c.text)}`, () => {
    const members = MEMBERS.filter((u) => !c.remove?.includes(u.user_id)).map((u) => (c.deactivate?.includes(u.user_id) ? { ...u, is_active: false } : u));
    const org: MentionOrganization = { id: 'zulip', name: 'Zulip Dev', members: new MemberIndex(members) };
    const found = parseDocument(c.text, c.kind ?? 'markdown', { defaultCodeBlockLanguage: c.defaultCodeBlockLanguage });
    const outcomes = found.map((m) => {
      const resolution = resolveMention(m.mention, [org], () => GROUPS, { crossRealmBotsOf: () => CROSS_REALM_BOTS });
      const outcome = mentionOutcome(resolution, m, { selfUserId: SENDER, groups: GROUPS, org });
      const userId = resolution.kind === 'member' ? resolution.match.user.user_id : undefined;
      const groupId = resolution.kind === 'group' ? resolution.matches.find((g) => !g.caseDiffers)?.group.id : undefined;
      const wildcard = resolution.kind === 'wildcard' ? resolution.mention.scope : undefined;
      return { outcome, text: describe(outcome, userId, groupId, wildcard), found: m };
    });
    assert.deepEqual(outcomes.map((o) => o.text), c.expect);
    for (const [i, because] of Object.entries(c.because ?? {})) assert.equal(outcomes[Number(i)].outcome.because, because, `because of #${i}`);
    for (const [i, decides] of Object.entries(c.serverDecides ?? {})) assert.equal(outcomes[Number(i)].outcome.serverDecides, decides, `server decides #${i}`);
    for (const [i, name] of Object.entries(c.shownName ?? {})) assert.equal(outcomes[Number(i)].outcome.shownName, name, `shown name of #${i}`);
    for (const [i, o] of outcomes.entries()) assert.equal(o.outcome.refused === true, c.refused?.includes(i) ?? false, `refused #${i}`);
    if (c.asMarkdown) for (const [i, o] of outcomes.entries()) assert.equal(o.found.asMarkdown, c.asMarkdown[i], `as Markdown #${i}`);
  });
}
