import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { hostileInputs } from '../../server/hostile';
import { chipFor, zulipMentionsPlugin } from '../../src/mentions/markdownPreview';
import { MemberIndex } from '../../src/model/memberIndex';
import { profileUrl } from '../../src/model/memberInfo';
import type { DiagnosticsContext } from '../../src/model/mentionDiagnostics';
import { parseDocument, type DocumentOptions } from '../../src/model/mentionDocument';
import { formatUserMention } from '../../src/model/mentionParser';
import type { MentionOrganization } from '../../src/model/mentionResolver';
import { withUserDefaults } from '../../src/zulip/client';
import type { User, UserGroup } from '../../src/zulip/types';
import { assertInertHtml, elements, parseHtml, textOf } from '../reliability/inertHtml';

const SITE = 'https://chat.example.com';
const user = (user_id: number, full_name: string, over: Partial<User> = {}): User => withUserDefaults({ user_id, full_name, email: `user${user_id}@zulip.example`, ...over });
const groups: UserGroup[] = [{ id: 1, name: 'support', description: '', members: [10] }];

function renderer(members: User[], options: DocumentOptions = {}) {
  const org: MentionOrganization = { id: 'o', name: 'Org', members: new MemberIndex(members) };
  const context: DiagnosticsContext = { orgs: [org], groupsOf: () => groups, selfUserIdOf: () => 10 };
  const md = zulipMentionsPlugin(
    new MarkdownIt({ html: true }),
    () => (mention, quoted) => chipFor(mention, quoted, context, (_, id) => profileUrl(SITE, id)),
    () => options,
  );
  return { md, org };
}

const { md, org } = renderer([user(10, 'King Hamlet'), user(11, 'Gone Person', { is_active: false })]);
const chips = (html: string) => elements(parseHtml(html)).filter((el) => el.attrs.some((a) => a.name === 'class' && a.value.includes('zulip-mention')));
const classOf = (el: ReturnType<typeof chips>[number]) => el.attrs.find((a) => a.name === 'class')!.value;

test('a mention is a chip with the current name, linking to the profile on the organization\'s site', () => {
  const html = md.render('Ask @**king hamlet** today');
  const [chip] = chips(html);
  assert.equal(textOf(chip), '@King Hamlet');
  assert.equal(chip.attrs.find((a) => a.name === 'href')?.value, `${SITE}/#user/10`);
  assert.match(classOf(chip), /zulip-mention-user/);
  org.members.update({ user_id: 10, full_name: 'Hamlet Prince' });
  assert.equal(textOf(chips(md.render('@**|10**'))[0]), '@Hamlet Prince');
  org.members.update({ user_id: 10, full_name: 'King Hamlet' });
});

test('silent, quoted, deactivated, group and wildcard styles; unknown names stay Markdown', () => {
  assert.match(classOf(chips(md.render('@_**King Hamlet**'))[0]), /zulip-mention-silent/);
  assert.equal(textOf(chips(md.render('@_**King Hamlet**'))[0]), 'King Hamlet');
  assert.match(classOf(chips(md.render('> @**King Hamlet**'))[0]), /zulip-mention-silent/);
  assert.match(classOf(chips(md.render('@**Gone Person**'))[0]), /zulip-mention-deactivated/);
  assert.match(classOf(chips(md.render('@*support*'))[0]), /zulip-mention-group/);
  assert.match(classOf(chips(md.render('@**all**'))[0]), /zulip-mention-wildcard/);
  const unknown = md.render('@**Nobody Here** and @**King Hamlet|99**');
  assert.equal(chips(unknown).length, 0);
  assert.match(unknown, /<strong>Nobody Here<\/strong>/);
  assert.equal(chips(md.render('`@**King Hamlet**`')).length, 0, 'no chip in code');
  assert.equal(chips(md.render('x@**King Hamlet**')).length, 0, 'not after a letter');
});

test('a quote fence is a quote of Markdown, as in Zulip: its mentions are silent chips', () => {
  for (const fence of ['```quote', '~~~ quoted', '``` {.quote}']) {
    const html = md.render(`${fence}\nAsk @**King Hamlet**\n${fence.slice(0, 3)}`);
    const [chip] = chips(html);
    assert.ok(chip, fence);
    assert.match(classOf(chip), /zulip-mention-silent/, fence);
    assert.match(html, /<blockquote>/, fence);
    assert.doesNotMatch(html, /<code/, fence);
  }
  // Nested: a code fence inside a quote fence is still code.
  const nested = md.render('````quote\n```\n@**King Hamlet**\n```\n````');
  assert.equal(chips(nested).length, 0);
  assert.match(nested, /<blockquote>[\s\S]*<code>/);
});

test('a bare fence follows the organization\'s default code block language, as the diagnostics do', () => {
  const bare = '```\n@**King Hamlet**\n```';
  assert.equal(chips(md.render(bare)).length, 0, 'code by default');
  const quoting = renderer([user(10, 'King Hamlet')], { defaultCodeBlockLanguage: 'quote' });
  const [chip] = chips(quoting.md.render(bare));
  assert.ok(chip, 'a chip in the quote');
  assert.match(classOf(chip), /zulip-mention-silent/);
  // The same reading as the document parser's.
  assert.deepEqual(parseDocument(bare, 'markdown', { defaultCodeBlockLanguage: 'quote' }).map((m) => m.quoted), [true]);
  assert.equal(chips(quoting.md.render('```python\n@**King Hamlet**\n```')).length, 0, 'a fence with a language stays code');
});

test('a spoiler fence shows its header and renders its Markdown, mentions included', () => {
  const html = md.render('```spoiler Who to ask\nAsk @**King Hamlet**\n```');
  assert.match(html, /<details class="zulip-spoiler"><summary>Who to ask<\/summary>/);
  const [chip] = chips(html);
  assert.ok(chip);
  assert.doesNotMatch(classOf(chip), /zulip-mention-silent/);
  assert.match(md.render('```spoiler\nx\n```'), /<summary>Spoiler<\/summary>/);
  assert.match(md.render('```spoiler <img src=x onerror=alert(1)>\nx\n```'), /<summary>&lt;img src=x onerror=alert\(1\)&gt;<\/summary>/);
});

test('hostile names render inert and come back as the same text', () => {
  const names = hostileInputs().map((h) => h.text).filter((t) => !t.includes('*') && !/[\r\n]/.test(t) && t.trim() !== '');
  const hostile = renderer(names.map((name, i) => user(100 + i, name)));
  let rendered = 0;
  fc.assert(
    fc.property(fc.integer({ min: 0, max: names.length - 1 }), fc.boolean(), fc.boolean(), (i, silent, quoted) => {
      const html = hostile.md.render(`${quoted ? '> ' : ''}${formatUserMention(names[i], 100 + i, silent)}`);
      assertInertHtml(html);
      const [chip] = chips(html);
      if (!chip) return;
      rendered++;
      assert.equal(textOf(chip).replace(/^@/, ''), names[i].split(String.fromCharCode(0)).join('\ufffd'));
    }),
    { numRuns: 200 },
  );
  assert.ok(rendered > 0, 'some chips were rendered');
});
