import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { MemberIndex } from '../../src/model/memberIndex';
import { MentionDocument } from '../../src/model/mentionDocument';
import { formatUserMention, mentionAt } from '../../src/model/mentionParser';
import { CARD_COMMANDS, inlineText, mentionCardAt, mentionCardFor, type CardOrganization } from '../../src/views/mentionCard';
import { withUserDefaults } from '../../src/zulip/client';
import type { User, UserGroup } from '../../src/zulip/types';
import { hostileInputs } from '../../server/hostile';
import { record } from '../reliability/outcomes';

const user = (user_id: number, full_name: string, over: Partial<User> = {}): User =>
  withUserDefaults({ user_id, full_name, email: `user${user_id}@zulip.example`, ...over });

const AVATAR = 'https://zulip.example/avatar.png';

function org(id: string, users: User[], extra: Partial<CardOrganization> = {}): CardOrganization {
  return {
    id,
    name: `Org ${id}`,
    members: new MemberIndex(users),
    avatarOf: () => AVATAR,
    pronounsOf: () => undefined,
    presenceOf: () => undefined,
    ...extra,
  };
}

// Rendered with raw HTML allowed and linkify on: stricter than VS Code's hover (supportHtml off),
// so escaping that holds here holds there.
const md = new MarkdownIt({ html: true, linkify: true });

interface Rendered {
  html: string;
  links: string[];
  images: string[];
  text: string;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&');
}

function render(markdown: string): Rendered {
  const html = md.render(markdown);
  const links = [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => decodeEntities(m[1]));
  // VS Code reads `url|width=…,height=…` as a size (parseHrefAndDimensions); markdown-it keeps it in the URL.
  const images = [...html.matchAll(/<img\s[^>]*src="([^"]*)"/g)].map((m) => decodeEntities(m[1]).split('%7C')[0]);
  const text = decodeEntities(html.replace(/<[^>]*>/g, ''));
  return { html, links, images, text };
}

function card(line: string, orgs: CardOrganization[], groups?: UserGroup[]): Rendered {
  const result = mentionCardAt(line, line.indexOf('@'), orgs, () => groups, { now: new Date('2025-01-01T12:00:00Z'), locale: 'en-US' });
  assert.ok(result, `a card for ${line}`);
  return render(result.markdown);
}

/** Every link is one of the two card commands, with {accountId, userId} arguments. */
function assertOnlyCardLinks(links: string[], accountId: string, userIds: number[]): void {
  for (const link of links) {
    const match = /^command:([\w.]+)\?(.*)$/.exec(link);
    assert.ok(match, `a command link: ${link}`);
    assert.ok((CARD_COMMANDS as readonly string[]).includes(match[1]), `allowed command: ${match[1]}`);
    const args = JSON.parse(decodeURIComponent(match[2])) as { accountId: string; userId: number };
    assert.equal(args.accountId, accountId);
    assert.ok(userIds.includes(args.userId), `link for an expected member: ${args.userId}`);
  }
}

const HOSTILE = [
  '[x](command:zulip.signOut)',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '![img](https://evil.example/x.png)',
  '[a][1]\n\n[1]: command:zulip.signOut',
  'https://evil.example/phish',
  'www.evil.example',
  '&lt;b&gt; &amp; &#60;i&#62;',
  '`code` _em_ ~~del~~ # heading',
  '<https://evil.example>',
  '\\[x\\](command:zulip.signOut)',
  '$(zap) $(sign-out)',
  '| a | b |\n|---|---|',
];

test('hostile member data renders as text: no links but the two card commands, no images but the avatar', () => {
  for (const name of HOSTILE) {
    const evil = user(66, name, {
      delivery_email: `${name.replace(/\s/g, '')}@evil.example`,
      timezone: name,
      profile_data: { '3': { value: name } },
    });
    const o = org('acct|x@y', [evil], { pronounsOf: (u) => u.profile_data?.['3']?.value });
    const r = card('@**|66**', [o]);
    assert.equal(r.links.length, 2, `two links for ${JSON.stringify(name)}: ${r.html}`);
    assertOnlyCardLinks(r.links, 'acct|x@y', [66]);
    assert.deepEqual(r.images, [AVATAR], r.html);
    assert.doesNotMatch(r.html, /<(script|img src="x"|b>|i>|h1|table|code|em|del)/, r.html);
    assert.ok(r.text.includes(name.replace(/\s+/g, ' ')), `the name shows as text: ${JSON.stringify(name)} in ${r.text}`);
  }
});

test('hostile group names and descriptions render as text', () => {
  const o = org('a', [user(1, 'Ann')]);
  // A name with a backtick pair would be inline code, not a mention: those go in descriptions.
  for (const name of HOSTILE.filter((n) => !/[*`\n]/.test(n))) {
    const r = card(`@*${name}*`, [o], [{ id: 1, name, description: name, members: [1] }]);
    assert.deepEqual(r.links, [], r.html);
    assert.deepEqual(r.images, [], r.html);
    assert.ok(r.text.includes(name), r.text);
  }
  for (const description of HOSTILE) {
    const r = card('@*team*', [o], [{ id: 1, name: 'team', description, members: [1] }]);
    assert.deepEqual(r.links, [], r.html);
    assert.deepEqual(r.images, [], r.html);
    assert.ok(r.text.includes(description.replace(/\s+/g, ' ')), r.text);
  }
});

test('property: any name renders as exactly its text, with only the card links', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), (name) => {
      const o = org('a', [user(5, name, { delivery_email: 'five@zulip.example' })]);
      const r = card('@**|5**', [o]);
      assert.equal(r.links.length, 2);
      assertOnlyCardLinks(r.links, 'a', [5]);
      assert.deepEqual(r.images, [AVATAR]);
      const shown = name.replace(/\s+/gu, ' ').replace(/\0/g, '\ufffd').trim();
      if (shown) assert.ok(r.text.includes(shown), `${JSON.stringify(shown)} in ${JSON.stringify(r.text)}`);
    }),
    { numRuns: 1500 },
  );
});

test('inlineText escapes every ASCII punctuation character and keeps to one line', () => {
  assert.equal(inlineText('a*b_c[d](e)<f>&g'), 'a\\*b\\_c\\[d\\]\\(e\\)\\<f\\>\\&g');
  assert.equal(inlineText('line\nbreak\t\ttab'), 'line break tab');
});

test('a member card: name, pronouns, role, real email, local time, presence and the two actions', () => {
  const ann = user(1, 'Ann Lee', { role: 200, delivery_email: 'ann@zulip.example', timezone: 'Europe/Berlin' });
  const o = org('a', [ann], { pronounsOf: () => 'she/her', presenceOf: () => 'active' });
  const r = card('@**Ann Lee**', [o]);
  assert.match(r.text, /Ann Lee \(she\/her\)/);
  assert.match(r.text, /Administrator/);
  assert.match(r.text, /ann@zulip\.example/);
  assert.match(r.text, /Wed 1:00 PM local time \(Europe\/Berlin\)/);
  assert.match(r.text, /Active now/);
  assert.match(r.text, /Open profile · Copy mention/);
  assert.deepEqual(
    r.links.map((l) => l.split('?')[0]),
    ['command:zulip.openProfile', 'command:zulip.copyMention'],
  );
  assertOnlyCardLinks(r.links, 'a', [1]);
});

test('a hidden email is not shown, and a placeholder is never shown as an address', () => {
  const o = org('a', [user(1, 'Ann Lee', { delivery_email: null, email: 'user1@zulip.example' })]);
  assert.doesNotMatch(card('@**Ann Lee**', [o]).text, /user1@/);
});

test('deactivated members and bots are marked', () => {
  const o = org('a', [user(1, 'Old Timer', { is_active: false }), user(2, 'Build Bot', { is_bot: true, bot_type: 2 })]);
  assert.match(card('@**Old Timer**', [o]).text, /Member · Deactivated/);
  assert.match(card('@**Build Bot**', [o]).text, /Incoming webhook/);
});

test('a name shared by several members lists them all with ids and the |id form', () => {
  const o = org('a', [user(2, 'Bob Stone', { delivery_email: 'bob2@x.example' }), user(3, 'bob stone')]);
  const r = card('@**Bob Stone**', [o]);
  assert.match(r.text, /2 members of Org a are called "Bob Stone"/);
  assert.ok(r.text.includes('user id 2 · @**Bob Stone|2**'), r.text);
  assert.ok(r.text.includes('user id 3 · @**bob stone|3**'), r.text);
  assert.equal(r.links.length, 4);
  assertOnlyCardLinks(r.links, 'a', [2, 3]);
});

test('a name shared by very many lists the first ones and says how many more', () => {
  const o = org('a', Array.from({ length: 15 }, (_, i) => user(100 + i, 'Build Bot')));
  const r = card('@**Build Bot**', [o]);
  assert.match(r.text, /15 members of Org a are called "Build Bot"/);
  assert.ok(r.text.includes('user id 109 · @**Build Bot|109**'), r.text);
  assert.ok(!r.text.includes('user id 110 '), r.text);
  assert.match(r.text, /…and 5 more: "Zulip: Find Member…" finds them all\./);
});

test('a name that is not the id\'s member is flagged, with the right form', () => {
  const o = org('a', [user(2, 'Bob Stone')]);
  const r = card('@_**Ann|2**', [o]);
  assert.match(r.text, /says "Ann", but user 2 is called "Bob Stone"/);
  assert.ok(r.text.includes('Write @_**Bob Stone|2**'), r.text);
  assert.match(r.text, /Silent mention/);
});

test('unknown names and ids name the organizations asked', () => {
  const a = org('a', [user(1, 'Ann')]);
  const b = org('b', [user(2, 'Bea')]);
  assert.match(card('@**Nobody Here**', [a]).text, /No member of Org a is called "Nobody Here"\./);
  assert.match(card('@**|77**', [a, b]).text, /No member of Org a, Org b has the user id 77\./);
  assert.match(card('@**Ann**', [org('c', [])]).text, /have not loaded yet/);
});

test('with several organizations, a member found outside the default one says where', () => {
  const a = org('a', [user(1, 'Ann')]);
  const b = org('b', [user(2, 'Bea')]);
  const r = card('@**Bea**', [a, b]);
  assert.match(r.text, /No member of Org a matches; found in Org b\./);
  assertOnlyCardLinks(r.links, 'b', [2]);
});

test('wildcards are explained', () => {
  const o = org('a', []);
  assert.match(card('@**all**', [o]).text, /@all[\s\S]*Wildcard mention: notifies everyone subscribed to the channel/);
  assert.match(card('@**stream**', []).text, /all, everyone, channel and stream mean the same/);
  const topic = card('@_**topic**', [o]).text;
  assert.match(topic, /everyone who has taken part in the topic/);
  assert.match(topic, /Silent: shows the mention without notifying anyone/);
});

test('group cards: name, description, member count; unknown and unloaded groups', () => {
  const o = org('a', [user(1, 'Ann')]);
  const groups: UserGroup[] = [
    { id: 10, name: 'support', description: 'Answers **questions**', members: [1, 2, 3] },
    { id: 11, name: 'all-hands', description: '', members: [4], direct_subgroup_ids: [10] },
  ];
  const r = card('@*support*', [o], groups);
  assert.match(r.text, /support\s+User group of Org a · 3 members\s+Answers \*\*questions\*\*/);
  assert.doesNotMatch(r.html, /<strong>questions/);
  assert.match(card('@_*all-hands*', [o], groups).text, /4 members[\s\S]*without notifying its members/);
  assert.match(card('@*Support*', [o], groups).text, /Zulip matches group names exactly: write @\*support\*/);
  assert.match(card('@*nope*', [o], groups).text, /No user group of Org a is called "nope"/);
  assert.match(card('@*nope*', [o], undefined).text, /The user groups of Org a could not be loaded/);
});

test('no card away from a mention; the card covers exactly the mention', () => {
  const o = org('a', [user(1, 'Ann')]);
  assert.equal(mentionCardAt('plain text', 3, [o]), undefined);
  const line = 'ping ' + formatUserMention('Ann', 1) + ' now';
  const result = mentionCardAt(line, 8, [o]);
  assert.deepEqual(result && [result.start, result.end], [5, 5 + '@**Ann|1**'.length]);
});

// ---- Any line, any members: the hostile corpus and random text ----

const PIECES = ['@', '**', '*', '_', '|', ' ', '`', '[', ']', '(', ')', '<', '>', 'command:zulip.signOut', 'javascript:', '<img src=x onerror=alert(1)>', 'https://evil.example', '\n', '$(zap)', '&amp;', 'a', 'Z', '1'];
const hostileName = fc.oneof(
  fc.constantFrom(...hostileInputs().map((i) => i.text)),
  fc.string({ unit: fc.constantFrom(...PIECES), minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
);

test('property: on any line, at any offset, a card links only to its two commands and shows only the avatar', () => {
  let cards = 0;
  const scenario = fc.record({ names: fc.array(hostileName, { minLength: 1, maxLength: 4 }), junk: fc.array(fc.string({ unit: fc.constantFrom(...PIECES), maxLength: 6 }), { maxLength: 5 }), silent: fc.boolean() });
  fc.assert(
    fc.property(scenario, fc.nat(400), ({ names, junk, silent }, offsetSeed) => {
      const users = names.map((name, i) => user(i + 1, name, { delivery_email: `m${i}@zulip.example` }));
      const o = org('acct|x@y', users);
      const groups = [{ id: 1, name: names[0], description: names.at(-1) ?? '', members: [1] } as UserGroup];
      const mentions = names.flatMap((name, i) => [`@${silent ? '_' : ''}**${name}**`, `@**${name}|${i + 1}**`, `@**|${i + 1}**`, `@*${name}*`]);
      const line = mentions.map((m, i) => `${junk[i % Math.max(1, junk.length)] ?? ''} ${m}`).join(' ');
      const result = mentionCardAt(line, offsetSeed % (line.length + 1), [o], () => groups, { now: new Date('2025-01-01T12:00:00Z'), locale: 'en-US' });
      if (!result) return;
      cards++;
      const r = render(result.markdown);
      assertOnlyCardLinks(r.links, 'acct|x@y', users.map((u) => u.user_id));
      for (const image of r.images) assert.equal(image, AVATAR);
      // With raw HTML allowed, only markdown-it's own tags may appear: escaping held.
      assert.doesNotMatch(r.html, /<(?!\/?(p|strong|em|br|a|img|ul|li|hr|code)\b)[a-z!]/i, r.html);
    }),
    { numRuns: 2500 },
  );
  assert.ok(cards > 1000, `most offsets land on a mention (${cards} cards)`);
  record('unit-mentionCard', { kind: 'hostile', name: 'arbitrary mention lines and names (2,500 runs)', layer: 'unit', surface: 'mention hover card', ok: true });
});

test('a member whose avatar is not on disk gets a card without an image, not a broken one', () => {
  const o = org('acct|x@y', [user(8, 'King Hamlet')], { avatarOf: () => undefined });
  const r = card('@**King Hamlet**', [o]);
  assert.deepEqual(r.images, [], r.html);
  assert.ok(r.text.includes('King Hamlet'), r.text);
});

test("a member card shows the status escaped and Zulip's words for last active", () => {
  const ann = user(1, 'Ann Lee');
  const o = org('a', [ann], {
    presenceOf: () => 'offline',
    lastActiveOf: () => 'Active 3 hours ago',
    statusOf: () => ({ text: '**bold** [x](command:zulip.signOut) <b>hi</b> $(zap)', emoji: { name: 'palm_tree', code: '1f334', type: 'unicode_emoji' }, away: false }),
  });
  const r = card('@**Ann Lee**', [o]);
  assert.match(r.text, /🌴 \*\*bold\*\* \[x\]\(command:zulip\.signOut\) <b>hi<\/b> \$\(zap\)/);
  assert.match(r.text, /⚪ Active 3 hours ago/);
  assert.doesNotMatch(r.html, /<strong>bold|<b>hi/);
  assertOnlyCardLinks(r.links, 'a', [1]);
});

test('a group card lists direct members by name with presence, then how many more, and whether you may mention it', () => {
  const people = Array.from({ length: 10 }, (_, i) => user(100 + i, `Member ${String.fromCharCode(74 - i)}`));
  const o = org('a', people, { presenceOf: (u) => (u.user_id === 109 ? 'active' : 'offline'), selfId: 100 });
  const admins: UserGroup = { id: 1, name: 'admins', description: '', members: [100] };
  const design: UserGroup = { id: 2, name: 'design', description: 'Designers', members: people.map((p) => p.user_id), can_mention_group: 1 };
  const closed: UserGroup = { id: 3, name: 'closed', description: '', members: [101], can_mention_group: { direct_members: [101], direct_subgroups: [] } };
  const r = card('@*design*', [o], [admins, design, closed]);
  // Member A (id 109) sorts first and is active.
  assert.match(r.text, /🟢 Member A\n⚪ Member B\n/);
  assert.match(r.text, /Member H\nand 2 more/);
  assert.doesNotMatch(r.text, /Member I/);
  assert.match(r.text, /You may mention this group\./);
  assert.match(card('@*closed*', [o], [admins, design, closed]).text, /You may not mention this group/);
  assert.doesNotMatch(card('@*admins*', [o], [admins, design, closed]).text, /mention this group/, 'no setting, no claim');
});

/** The card for the mention at `at` in a whole document, with the document's facts, as the hover builds it. */
function documentCard(text: string, kind: 'markdown' | 'plain', at: string, orgs: CardOrganization[], groups?: UserGroup[], self?: number): Rendered {
  const model = new MentionDocument(kind, text);
  const offset = text.indexOf(at);
  assert.ok(offset >= 0, `${at} is in the text`);
  const before = text.slice(0, offset).split('\n');
  const line = before.length - 1;
  const column = before[line].length + 1;
  // As the hover does: the document's reading first (it sees mentions in a plain file's code), else the line's.
  const found = model.mentionAt(line, column);
  const mention = found?.mention ?? mentionAt(text.split('\n')[line], column);
  assert.ok(mention, `a mention at ${at}`);
  // The signed-in member, as the hover's organizations carry it.
  const signedIn = self === undefined ? orgs : orgs.map((o) => ({ ...o, selfId: self }));
  const result = mentionCardFor(mention, signedIn, () => groups, {
    now: new Date('2025-01-01T12:00:00Z'),
    locale: 'en-US',
    place: found ?? 'notMention',
  });
  return render(result.markdown);
}

test('document facts: a quoted mention is silent; in a plain file, what a message would make of it', () => {
  const o = org('a', [user(1, 'Ann Lee')]);
  const quoted = documentCard('> thanks @**Ann Lee**', 'markdown', '@**Ann Lee**', [o]).text;
  assert.match(quoted, /Silent: inside a quote\. Zulip shows the name without notifying anyone\./);
  const loud = documentCard('thanks @**Ann Lee**', 'markdown', '@**Ann Lee**', [o]).text;
  assert.doesNotMatch(loud, /Silent|As a Zulip message/, 'an ordinary mention has no note');
  const plainQuote = documentCard('> thanks @**Ann Lee**', 'plain', '@**Ann Lee**', [o]).text;
  assert.match(plainQuote, /As a Zulip message this would be silent: it is inside a quote\./);
  assert.doesNotMatch(plainQuote, /Silent: inside a quote/, 'in a plain file the quote is not Zulip\'s');
  const plainCode = documentCard('```\n@**Ann Lee**\n```', 'plain', '@**Ann Lee**', [o]).text;
  assert.match(plainCode, /As a Zulip message this would be code, not a mention\./);
  const markdownCode = documentCard('```\n@**Ann Lee**\n```', 'markdown', '@**Ann Lee**', [o]).text;
  assert.match(markdownCode, /Zulip would not read this as a mention \(it is inside code or escaped\): it shows as typed and notifies nobody/);
});

test('outcome facts: one of N, deactivated, a group you may not mention, a wildcard that shadows a member, the current name', () => {
  const o = org('a', [user(2, 'Bob Stone'), user(3, 'bob stone'), user(4, 'Old Timer', { is_active: false }), user(5, 'all'), user(6, 'Zoë Adams')]);
  assert.match(documentCard('hi @**Bob Stone**', 'markdown', '@**Bob Stone**', [o]).text, /Zulip picks one of 2, and does not promise which/);
  assert.match(documentCard('hi @**Old Timer**', 'markdown', '@**Old Timer**', [o]).text, /Deactivated: nobody is notified\./);
  const groups: UserGroup[] = [
    { id: 1, name: 'leads', description: 'Team leads', members: [40], can_mention_group: { direct_members: [40], direct_subgroups: [] } },
    { id: 2, name: 'support', description: '', members: [7], can_mention_group: { direct_members: [7], direct_subgroups: [] } },
  ];
  assert.match(documentCard('ask @*leads*', 'markdown', '@*leads*', [o], groups, 7).text, /You may not mention this group; sending would be refused\./);
  assert.doesNotMatch(documentCard('ask @*support*', 'markdown', '@*support*', [o], groups, 7).text, /refused/, 'a member of can_mention_group may');
  const wildcard = documentCard('hey @**all**', 'markdown', '@**all**', [o]).text;
  assert.match(wildcard, /This notifies everyone, not the member named all\. To mention them, write @\*\*all\|5\*\*\./);
  // Zulip matches names case-insensitively and shows the member's own: so does the card.
  assert.match(documentCard('hi @**zoë adams**', 'markdown', '@**zoë adams**', [o]).text, /Zulip shows it as "@Zoë Adams"\./);
  assert.match(documentCard('hi @**|6**', 'markdown', '@**|6**', [o]).text, /Zulip shows it as "@Zoë Adams"\./);
  assert.doesNotMatch(documentCard('hi @**Zoë Adams**', 'markdown', '@**Zoë Adams**', [o]).text, /Zulip shows it as/);
});

test('hostile names in the outcome notes stay text', () => {
  for (const name of HOSTILE.filter((n) => !/[*`\n|]/.test(n))) {
    const o = org('a', [user(5, 'all'), user(9, name)]);
    const shadow = documentCard('@**all**', 'markdown', '@**all**', [o]);
    assert.deepEqual(shadow.links, [], shadow.html);
    const renamed = documentCard(`hi @**|9**`, 'markdown', '@**|9**', [o]);
    assertOnlyCardLinks(renamed.links, 'a', [9]);
    assert.deepEqual(renamed.images, [AVATAR], renamed.html);
    assert.ok(renamed.text.includes(`Zulip shows it as "@${name.replace(/\s+/g, ' ')}"`), renamed.text);
  }
});

test("a cross-realm bot's card names the bot and offers no profile to open", () => {
  const bot = user(90, 'Notification Bot', { is_bot: true, is_system_bot: true, bot_type: 1 });
  const o = org('a', [user(1, 'Ann Lee')]);
  const withoutBots = mentionCardAt('@**Notification Bot**', 3, [o]);
  assert.match(withoutBots!.markdown, /No member/);
  const card = mentionCardAt('@**Notification Bot**', 3, [o], undefined, { crossRealmBotsOf: () => [bot] });
  const rendered = render(card!.markdown);
  assert.match(rendered.text, /Notification Bot/);
  assert.match(rendered.text, /bot of the Zulip server itself/);
  assert.deepEqual(rendered.links, [], 'no Open profile or Copy mention');
});
