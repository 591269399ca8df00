// Properties of the profile page's HTML over arbitrary strings (fast-check), read back with a real
// HTML parser (parse5, as a browser parses): nothing executable ever comes out (no script
// elements, no on* attributes, no style, no javascript:/data:/command: URLs; every link is http(s);
// every button is one of the page's own commands), and plain values come back as the same text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { withUserDefaults } from '../../src/zulip/client';
import type { CustomProfileField, User } from '../../src/zulip/types';
import { buildProfileBody, renderFieldValue } from '../../src/views/profileHtml';
import { hostileInputs } from '../../server/hostile';
// parse5 (in inertHtml) comes with @vscode/vsce (through cheerio), a dev dependency.
import { asParsed, assertInertHtml as assertInert, byClass as classOf, elements, parseHtml, textOf } from '../reliability/inertHtml';
import { record } from '../reliability/outcomes';

const SITE = 'https://chat.example.com';

/** Pieces HTML attacks are made of, so that random strings often are one. */
const TOKENS = [
  '<', '>', '"', "'", '&', '=', '/', ' ', '\n', '\r', '\t', '\0', '`', '(', ')', ':', ';', '#',
  'script', '<script>', '</script>', 'javascript:', 'JaVaScRiPt:', 'java\tscript:', 'data:', 'vbscript:', 'command:zulip.signOut',
  'on', 'onerror', 'onload', 'onclick=', 'img', 'src', 'href', 'a', 'svg', 'math', 'mglyph', 'style', 'iframe', 'srcdoc', 'template',
  'noscript', 'form', 'action', 'base', 'meta', 'http-equiv', '<!--', '-->', '<![CDATA[', ']]>', '&#106;', '&#x6A;', '&colon;', '&lt;',
  'http://x.example', 'https://', '%(username)s', '\u202e', '\u2028', 'alert(1)', 'window.x=1', '${', '}}',
];

const hostileText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...TOKENS), maxLength: 25 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...hostileInputs().map((i) => i.text)),
);

const field = (id: number, type: number, field_data = '', name = `Field ${id}`): CustomProfileField => ({ id, type, name, order: id, hint: '', field_data });

function fieldData(type: number, text: string): fc.Arbitrary<string> {
  if (type === 3) return fc.oneof(fc.constant(JSON.stringify({ '0': { text, order: '1' } })), fc.constant(text));
  if (type === 7)
    return fc.oneof(
      fc.constant(JSON.stringify({ subtype: 'github' })),
      fc.constant(JSON.stringify({ subtype: 'custom', url_pattern: text })),
      fc.constant(JSON.stringify({ subtype: 'custom', url_pattern: `${text}%(username)s` })),
      fc.constant(text),
    );
  return fc.constant('');
}

test('property: any value, rendered value and field definition of every field type renders inert', () => {
  const fieldCase = fc
    .record({ type: fc.integer({ min: 1, max: 9 }), value: hostileText, rendered: fc.option(hostileText, { nil: undefined }), extra: hostileText })
    .chain((c) => fieldData(c.type, c.extra).map((data) => ({ ...c, data })));
  fc.assert(
    fc.property(fieldCase, ({ type, value, rendered, data }) => {
      const html = renderFieldValue(field(1, type, data), { value, rendered_value: rendered }, { site: SITE, member: () => undefined, locale: 'en-US' });
      if (html !== undefined) assertInert(html);
    }),
    { numRuns: 4000 },
  );
  record('unit-profileHtmlProperties', { kind: 'hostile', name: 'arbitrary field values (4,000 runs)', layer: 'unit', surface: 'profile panel HTML', ok: true });
});

test('property: any member data gives an inert page, and the name, pronouns and plain values read back as the text given', () => {
  const member = fc.record({
    full_name: hostileText.filter((n) => n.trim() !== ''),
    email: hostileText,
    timezone: hostileText,
    date_joined: hostileText,
    pronouns: hostileText.filter((p) => p.trim() !== ''),
    short: hostileText.filter((p) => p.trim() !== ''),
    link: hostileText.filter((p) => p.trim() !== ''),
    fieldName: hostileText,
  });
  fc.assert(
    fc.property(member, (m) => {
      const fields = [field(1, 1, '', m.fieldName), field(5, 5), field(8, 8)];
      const user: User = withUserDefaults({
        user_id: 42,
        full_name: m.full_name,
        email: m.email,
        delivery_email: m.email,
        timezone: m.timezone,
        date_joined: m.date_joined,
        profile_data: { '1': { value: m.short }, '5': { value: m.link }, '8': { value: m.pronouns } },
      });
      const html = buildProfileBody({ accountId: `${SITE}|a@b`, site: SITE, user, fields, member: () => undefined, now: new Date('2025-01-01T00:00:00Z'), locale: 'en-US' });
      assertInert(html);
      const all = elements(parseHtml(html));
      const byClass = (name: string) => classOf(all, name);
      assert.equal(textOf(byClass('name')!), asParsed(m.full_name), 'the name reads back as given');
      // Pronouns are shown trimmed.
      assert.equal(textOf(byClass('pronouns')!), asParsed(m.pronouns.trim()));
      const values = all.filter((el) => el.tagName === 'dd').map(textOf);
      assert.ok(values.includes(asParsed(m.short)), 'a short text without rendered_value reads back as given');
      // A link field shows its value as text; a link only when it is http(s).
      assert.ok(values.includes(asParsed(m.link)));
      const dts = all.filter((el) => el.tagName === 'dt').map(textOf);
      assert.ok(dts.includes(asParsed(m.fieldName)), 'the field name reads back as given');
    }),
    { numRuns: 1500 },
  );
  record('unit-profileHtmlProperties', { kind: 'hostile', name: 'arbitrary member data (1,500 runs)', layer: 'unit', surface: 'profile panel HTML', ok: true });
});

test('every input of the hostile corpus, in every field type, renders inert with its text shown', () => {
  for (const input of hostileInputs()) {
    for (const type of [1, 2, 3, 4, 5, 6, 7, 8]) {
      for (const rendered of [undefined, input.text]) {
        const html = renderFieldValue(field(1, type, type === 7 ? JSON.stringify({ subtype: 'custom', url_pattern: input.text }) : ''), { value: input.text, rendered_value: rendered }, { site: SITE, member: () => undefined });
        if (html !== undefined) assertInert(html);
      }
    }
    const user = withUserDefaults({ user_id: 7, full_name: input.text, email: input.text, delivery_email: input.text, timezone: input.text });
    const body = buildProfileBody({ accountId: 'a', site: SITE, user, fields: [], member: () => undefined });
    assertInert(body);
    assert.ok(textOf(parseHtml(body)).includes(asParsed(input.text).trim().split('\n')[0]), `${input.id} shows as text`);
    record('unit-profileHtmlProperties', { kind: 'hostile', name: input.id, layer: 'unit', surface: 'profile panel HTML', ok: true });
  }
});

test('the check itself catches what it must: script, handlers, style, script URLs, foreign buttons', () => {
  for (const bad of [
    '<script>x</script>',
    '<img src=x onerror=y>',
    '<a href="javascript:x">a</a>',
    '<a href="&#106;avascript:x">a</a>',
    '<a href="data:text/html,x">a</a>',
    '<a href="command:zulip.signOut">a</a>',
    '<p style="x">a</p>',
    '<svg></svg>',
    '<button data-command="signOut">x</button>',
    '<img src="//evil.example/x">',
  ]) {
    assert.throws(() => assertInert(bad), { name: 'AssertionError' }, bad);
  }
  assertInert('<a href="https://ok.example/">ok</a><button data-command="refresh">r</button>');
});
