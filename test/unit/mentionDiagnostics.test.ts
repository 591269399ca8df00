import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HOSTILE_NAMES } from '../../server/hostile';
import { MemberIndex } from '../../src/model/memberIndex';
import { DocumentDiagnostics, diagnoseMention, safeName, type DiagnosticsContext } from '../../src/model/mentionDiagnostics';
import { MentionDocument, parseDocument } from '../../src/model/mentionDocument';
import { closestMembers, fixAllEdits, fixesFor, renameEdits } from '../../src/model/mentionFixes';
import { formatUserMention } from '../../src/model/mentionParser';
import type { MentionOrganization } from '../../src/model/mentionResolver';
import { withUserDefaults } from '../../src/zulip/client';
import type { User, UserGroup } from '../../src/zulip/types';

const user = (user_id: number, full_name: string, over: Partial<User> = {}): User => withUserDefaults({ user_id, full_name, email: `user${user_id}@zulip.example`, ...over });
const SELF = 1;
const members = [user(SELF, 'Me Myself'), user(10, 'King Hamlet'), user(20, 'Mark Twin'), user(21, 'Mark Twin', { email: 'twin2@zulip.example' }), user(30, 'Gone Person', { is_active: false }), user(40, 'Iago', { role: 200 })];
const groups: UserGroup[] = [
  { id: 1, name: 'support', description: '', members: [SELF], can_mention_group: { direct_members: [SELF], direct_subgroups: [] } },
  { id: 2, name: 'leads', description: '', members: [40], can_mention_group: { direct_members: [40], direct_subgroups: [] } },
  { id: 3, name: 'Design', description: '', members: [], can_mention_group: { direct_members: [SELF], direct_subgroups: [] } },
];
const org: MentionOrganization = { id: 'o', name: 'Org', members: new MemberIndex(members) };
const context: DiagnosticsContext = { orgs: [org], groupsOf: () => groups, selfUserIdOf: () => SELF };

function codes(text: string, kind: 'markdown' | 'plain' = 'markdown'): string[] {
  return parseDocument(text, kind).map((m) => diagnoseMention(m, context)).map((d) => (d ? `${d.code}/${d.severity}` : 'ok'));
}

test('each surprise gets a diagnostic whose severity fits the harm', () => {
  assert.deepEqual(codes('@**King Hamlet** @**Nobody** @**|999** @**Iago|10**'), ['ok', 'unknownName/warning', 'unknownId/warning', 'idNameMismatch/warning']);
  assert.deepEqual(codes('@**Mark Twin** @**Mark Twin|21** @**Gone Person**'), ['ambiguous/warning', 'ok', 'deactivatedMember/warning']);
  assert.deepEqual(codes('> @**King Hamlet**'), ['quoted/information']);
  assert.deepEqual(codes('@*support* @*leads* @_*leads* @*design* @*nope*'), ['ok', 'groupRefused/error', 'ok', 'groupCase/warning', 'unknownGroup/information']);
  assert.deepEqual(codes('@_**King Hamlet** @**all**'), ['ok', 'ok']);
});

test('fixes: choose among same-named members, fix an |id either way, closest names for an unknown one', () => {
  const [ambiguous] = parseDocument('@**Mark Twin**', 'markdown').map((m) => diagnoseMention(m, context)!);
  const choices = fixesFor(ambiguous, [org]);
  assert.deepEqual(choices.map((f) => f.replacement), ['@**Mark Twin|20**', '@**Mark Twin|21**']);
  assert.match(choices[1].title, /twin2@zulip\.example, Members/);

  const [mismatch] = parseDocument('@_**King Hamlet|40**', 'markdown').map((m) => diagnoseMention(m, context)!);
  assert.deepEqual(fixesFor(mismatch, [org]).map((f) => f.replacement), ['@_**Iago|40**', '@_**King Hamlet|10**']);

  const [typo] = parseDocument('@**Kng Hamlet**', 'markdown').map((m) => diagnoseMention(m, context)!);
  const fixes = fixesFor(typo, [org]);
  assert.equal(fixes[0].replacement, '@**King Hamlet**');
  assert.equal(fixes[0].preferred, true);
  assert.equal(closestMembers('Mark Twain', org)[0].user.full_name, 'Mark Twin');
});

test('"fix all" applies only the fixes that need no choice', () => {
  const doc = new MentionDocument('markdown', '@**Iago|10** @**Mark Twin** @**Kng Hamlet** @*design*');
  const diagnostics = new DocumentDiagnostics(doc, context).all();
  assert.deepEqual(fixAllEdits(diagnostics, [org]).map((e) => e.newText), ['@**King Hamlet|10**', '@**King Hamlet**', '@*Design*']);
});

test('a rename rewrites the mentions that meant that member by the old name', () => {
  const index = new MemberIndex(members);
  const renamed = { ...index.get(10)!, full_name: 'Hamlet Prince' };
  index.update({ user_id: 10, full_name: 'Hamlet Prince' });
  const mentions = parseDocument('@**King Hamlet** @**King Hamlet|10** @**Iago** @**king hamlet**', 'markdown');
  assert.deepEqual(renameEdits(mentions, renamed, 'King Hamlet', index).map((e) => [e.start, e.newText]), [
    [0, '@**Hamlet Prince**'],
    [17, '@**Hamlet Prince|10**'],
    [47, '@**Hamlet Prince**'],
  ]);
});

test('diagnostics follow edits and member changes without reparsing everything', () => {
  const doc = new MentionDocument('markdown', ['@**King Hamlet**', '', '@**Nobody**']);
  const diagnostics = new DocumentDiagnostics(doc, context);
  assert.deepEqual(diagnostics.all().map((d) => d.code), ['unknownName']);
  const reparsed = doc.edit(0, 1, ['@**Nobody Else**', 'x']);
  diagnostics.edited(0, 1, 2, reparsed);
  assert.deepEqual(diagnostics.all().map((d) => [d.found.line, d.code]), [[0, 'unknownName'], [3, 'unknownName']]);
  org.members.add(user(50, 'Nobody'));
  diagnostics.recomputeAll();
  assert.deepEqual(diagnostics.all().map((d) => d.found.line), [0]);
  org.members.remove(50);
});

test('hostile names stay one inert line in messages and fix titles', () => {
  const hostileTexts = HOSTILE_NAMES.map((h) => h.text);
  const hostile = hostileTexts.map((name, i) => user(1000 + i, name));
  const index = new MemberIndex([...members, ...hostile, ...hostile.map((u) => ({ ...u, user_id: u.user_id + 500 }))]);
  const hostileOrg: MentionOrganization = { id: 'h', name: 'H', members: index };
  const ctx: DiagnosticsContext = { orgs: [hostileOrg], groupsOf: () => groups, selfUserIdOf: () => SELF };
  let checked = 0;
  fc.assert(
    fc.property(fc.constantFrom(...hostileTexts), fc.string(), fc.constantFrom('', '_'), fc.boolean(), (name, noise, silent, withId) => {
      const written = name.replace(/\*/g, '') || 'x';
      const text = withId ? formatUserMention(written + noise.replace(/[*\n\r]/g, ''), 1, silent === '_') : `@${silent}**${written}**`;
      for (const found of parseDocument(text, 'plain')) {
        const d = diagnoseMention(found, ctx);
        if (!d) continue;
        for (const line of [d.message, ...fixesFor(d, [hostileOrg]).map((f) => f.title)]) {
          assert.ok(![...line].some((ch) => /\p{Cc}|[\u2028\u2029\u202a-\u202e\u2066-\u2069]/u.test(ch)), JSON.stringify(line));
          assert.ok(line.length < 400, `${line.length} characters`);
          checked++;
        }
      }
    }),
    { numRuns: 300 },
  );
  assert.ok(checked > 300, `${checked} messages and titles checked`);
  assert.equal(safeName('a\u202eb\nc'), 'a b c');
});

test('safeName: a clean name comes back as it is; anything else is cleaned character by character', () => {
  // The character-by-character reading, spelled out: what the quick path must agree with.
  const distorting = (c: number) => c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
  const reference = (text: string) => {
    const clean = [...text].map((ch) => (distorting(ch.codePointAt(0)!) ? ' ' : ch)).join('').replace(/\s+/g, ' ').trim();
    return clean.length > 80 ? `${clean.slice(0, 79)}…` : clean;
  };
  const char = fc.constantFrom('a', 'Z', ' ', '  ', '\t', '\n', '\u00a0', '\u200e', '\u202e', '\u2066', '\u0085', '\u007f', '\u1680', '\u2000', '\u200a', '\u200b', '\u202f', '\u205f', '\u3000', '\ufeff', '\u00ad', 'é', '王', '😀', '|', '*');
  fc.assert(
    fc.property(fc.array(char, { maxLength: 90 }), (chars) => {
      const text = chars.join('');
      assert.equal(safeName(text), reference(text), JSON.stringify(text));
    }),
    { numRuns: 5000 },
  );
  const clean = 'Émile García 42';
  assert.equal(safeName(clean), clean);
});

test('diagnostics after any edits are those of the edited text diagnosed from scratch', () => {
  const lineArb = fc.constantFrom('', '```', '> @**Nobody**', '@**Mark Twin** and @**King Hamlet**', '@**Iago|10**', '    @**Nobody**', 'text `a', 'b` @**Gone Person**');
  const summary = (d: DocumentDiagnostics) => d.all().map((x) => `${x.found.line}:${x.found.start} ${x.code}`);
  fc.assert(
    fc.property(fc.array(lineArb, { minLength: 1, maxLength: 10 }), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.array(lineArb, { maxLength: 3 })), { maxLength: 4 }), (lines, edits) => {
      const doc = new MentionDocument('markdown', lines);
      const diagnostics = new DocumentDiagnostics(doc, context);
      const text = [...lines];
      for (const [at, del, insert] of edits) {
        const start = at % (text.length + 1);
        const deleteCount = Math.min(del, text.length - start);
        diagnostics.edited(start, deleteCount, insert.length, doc.edit(start, deleteCount, insert));
        text.splice(start, deleteCount, ...insert);
      }
      assert.deepEqual(summary(diagnostics), summary(new DocumentDiagnostics(new MentionDocument('markdown', text), context)));
    }),
    { numRuns: 500 },
  );
});

test('a fix for a member whose name cannot be written (a * or a line break) writes @**|id**, which Zulip reads', () => {
  const starred = user(700, 'Star * Person');
  const broken = user(701, 'Line\nBreak');
  const index = new MemberIndex([...members, starred, broken]);
  const o: MentionOrganization = { id: 'w', name: 'W', members: index };
  const ctx: DiagnosticsContext = { orgs: [o], groupsOf: () => groups, selfUserIdOf: () => SELF };
  for (const who of [starred, broken]) {
    const doc = new MentionDocument('markdown', `@**Someone Else|${who.user_id}**`);
    const [d] = new DocumentDiagnostics(doc, ctx).all();
    assert.equal(d.code, 'idNameMismatch');
    const replacements = fixesFor(d, [o]).map((f) => f.replacement);
    assert.ok(replacements.includes(`@**|${who.user_id}**`), replacements.join(' / '));
    for (const r of replacements) assert.doesNotMatch(r, /[\r\n]|\* /);
  }
});
