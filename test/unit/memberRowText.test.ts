// The Members tree's row text: descriptions by setting, bots' type and owner, tooltips that keep
// member text inert, accessibility labels, and the context values the menus match.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withUserDefaults } from '../../src/zulip/client';
import { BotType, type CustomProfileField, type User } from '../../src/zulip/types';
import { escapeMarkdown } from '../../src/text/markdownText';
import {
  bucketAccessibilityLabel,
  groupAccessibilityLabel,
  groupLabel,
  memberAccessibilityLabel,
  memberContextValue,
  memberDescription,
  memberLabel,
  memberTooltip,
  orgDescription,
  ambiguousOrgRows,
  orgAccessibilityLabel,
  orgRowDescription,
  statusLabel,
  type RowContext,
} from '../../src/views/memberRowText';

const fields: CustomProfileField[] = [{ id: 9, type: 8, name: 'Pronouns', order: 1, hint: '', field_data: '' }];
const owner = withUserDefaults({ user_id: 11, full_name: 'Iago', email: 'iago@x.com' });
const hamlet = withUserDefaults({ user_id: 10, full_name: 'King Hamlet', email: 'hamlet@x.com', delivery_email: 'hamlet@x.com', timezone: 'Europe/Berlin', profile_data: { '9': { value: 'he/him' } } });

function ctx(over: Partial<RowContext> = {}): RowContext {
  return { site: 'https://chat.example.com', member: (id) => (id === 11 ? owner : undefined), profileFields: fields, mode: 'pronouns', now: new Date('2024-03-05T12:34:00Z'), locale: 'en-US', ...over };
}

test('description: pronouns, local time or nothing, as the setting says; bots show type and owner', () => {
  assert.equal(memberDescription(hamlet, ctx()), 'he/him');
  assert.equal(memberDescription(hamlet, ctx({ mode: 'localTime' })), 'Tue 1:34 PM');
  assert.equal(memberDescription({ ...hamlet, timezone: 'Not/AZone' }, ctx({ mode: 'localTime' })), '');
  assert.equal(memberDescription(hamlet, ctx({ mode: 'none' })), '');
  const bot = withUserDefaults({ user_id: 23, full_name: "Iago's Bot", email: 'bot@x.com', is_bot: true, bot_type: BotType.IncomingWebhook, bot_owner_id: 11 });
  assert.equal(memberDescription(bot, ctx()), 'Incoming webhook · owner Iago');
  assert.equal(memberDescription({ ...bot, bot_owner_id: null }, ctx()), 'Incoming webhook');
});

test('tooltips escape member text: no links, commands, HTML or emphasis', () => {
  const evil: User = { ...hamlet, full_name: '[x](command:zulip.signOut) <img src=x onerror=alert(1)> **b** $(zap) https://evil.example', profile_data: { '9': { value: '_it_' } } };
  const md = memberTooltip(evil, ctx({ presence: 'active' }));
  assert.ok(md.startsWith('**\\[x\\]\\(command\\:zulip\\.signOut\\) \\<img src\\=x onerror\\=alert\\(1\\)\\> \\*\\*b\\*\\* \\$\\(zap\\) https\\:\\/\\/evil\\.example**'), md);
  assert.match(md, /Member · \\_it\\_ · Active/);
  assert.match(md, /hamlet\\@x\\\.com/);
  assert.match(md, /Local time: Tue 1\\:34 PM \(Europe\\\/Berlin\)/);
  assert.match(md, /User ID 10$/);
  assert.doesNotMatch(md, /\]\(/, 'no Markdown link survives');
});

test('escapeMarkdown flattens line breaks and escapes every ASCII punctuation character', () => {
  assert.equal(escapeMarkdown('a\nb'), 'a b');
  assert.equal(escapeMarkdown('&lt;'), '\\&lt\\;');
  assert.equal(escapeMarkdown('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'), '\\!\\"\\#\\$\\%\\&\\\'\\(\\)\\*\\+\\,\\-\\.\\/\\:\\;\\<\\=\\>\\?\\@\\[\\\\\\]\\^\\_\\`\\{\\|\\}\\~');
});

test('accessibility labels say what the eye sees', () => {
  assert.equal(memberAccessibilityLabel(hamlet, ctx({ presence: 'idle' })), 'King Hamlet, he/him, Idle, Member');
  assert.equal(memberAccessibilityLabel({ ...hamlet, is_active: false, role: 100 }, ctx()), 'King Hamlet, he/him, Owner, deactivated');
  assert.equal(groupAccessibilityLabel('members', 98_000, 'en-US'), 'Members, 98,000 members');
  assert.equal(groupAccessibilityLabel('owners', 1, 'en-US'), 'Owners, 1 member');
  assert.equal(bucketAccessibilityLabel('members', 'Ab', 12, 'en-US'), 'Members starting with Ab, 12 members');
  assert.equal(groupLabel('bots', 1234, 'en-US'), 'Bots (1,234)');
});

test('context values: Copy Email only where a real address is known', () => {
  assert.equal(memberContextValue(hamlet), 'member.email');
  assert.equal(memberContextValue({ ...hamlet, delivery_email: null, email: 'user10@chat.example.com' }), 'member');
  assert.equal(memberContextValue({ ...hamlet, is_bot: true, is_active: false }), 'member.email.bot.deactivated');
  const copyEmail = /^member.*\.email(\.|$)/;
  assert.ok(copyEmail.test('member.email.bot'));
  assert.ok(!copyEmail.test('member.bot'));
});

test('state rows', () => {
  assert.equal(orgDescription({ kind: 'stale', reason: 'x', since: 0, fromDisk: false }), 'offline — showing saved members');
  assert.equal(statusLabel('offline', 'https://chat.example.com', { kind: 'offline', reason: 'connection refused' }, ''), 'Cannot reach chat.example.com: connection refused');
  assert.equal(statusLabel('signIn', 'https://chat.example.com', { kind: 'needsSignIn', reason: '' }, ''), 'Sign in again');
  assert.equal(statusLabel('noMatches', 'https://chat.example.com', { kind: 'ready' }, 'zz'), 'No members match “zz”');
});

test('two accounts on one site: each row of the shared name says whose account it is', () => {
  const rows = [
    { id: 'https://elsinore.example|hamlet@elsinore.example', name: 'Elsinore Castle' },
    { id: 'https://elsinore.example|ophelia@elsinore.example', name: 'Elsinore Castle' },
    { id: 'https://wittenberg.example|hamlet@elsinore.example', name: 'Wittenberg' },
  ];
  assert.deepEqual([...ambiguousOrgRows(rows)].sort(), [rows[0].id, rows[1].id]);
  assert.equal(orgRowDescription({ kind: 'ready' }, 'hamlet@elsinore.example', true), 'hamlet@elsinore.example');
  assert.equal(orgRowDescription({ kind: 'needsSignIn', reason: '' }, 'ophelia@elsinore.example', true), 'ophelia@elsinore.example · sign-in needed');
  assert.equal(orgRowDescription({ kind: 'ready' }, 'hamlet@elsinore.example', false), '');
  assert.equal(orgAccessibilityLabel('Elsinore Castle', { kind: 'ready' }, 'hamlet@elsinore.example'), 'Elsinore Castle, Zulip organization, hamlet@elsinore.example');
});

test('status: a Unicode emoji after the name, the text cut in the description, in full and escaped in the tooltip', () => {
  const status = { text: 'Reviewing pull requests all day long, every day', emoji: { name: 'thinking', code: '1f914', type: 'unicode_emoji' as const }, away: false };
  assert.equal(memberLabel(hamlet, { status }), 'King Hamlet 🤔');
  assert.equal(memberLabel(hamlet, { status: { ...status, emoji: { name: 'green_tick', code: '1', type: 'realm_emoji' } } }), 'King Hamlet', 'an image emoji is not text');
  assert.equal(memberDescription(hamlet, ctx({ status })), 'Reviewing pull requests all d… · he/him');
  const tooltip = memberTooltip(hamlet, ctx({ status: { ...status, text: '[x](command:zulip.signOut)\nline' }, presence: 'offline', lastActive: 'Active yesterday' }));
  assert.ok(tooltip.includes('🤔 \\[x\\]\\(command\\:zulip\\.signOut\\) line'), tooltip);
  assert.ok(tooltip.includes('Active yesterday'));
  assert.equal(memberDescription(hamlet, ctx({ status: { ...status, text: 'a\u202eb\nc' }, mode: 'none' })), 'a b c', 'controls and line breaks become spaces');
});
