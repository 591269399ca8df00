// The server's hostile people corpus (statuses with HTML, script, Markdown, command links, theme
// icons, bidi controls, emoji codes that do not exist; group names and descriptions with the
// same) stays inert on every new surface: row label and description, tooltip Markdown, hover card,
// profile HTML, quick pick details, the Groups view's labels.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import MarkdownIt from 'markdown-it';
import { HOSTILE_PEOPLE_VALUES } from '../../server/hostile';
import { mergeStatus } from '../../src/model/userStatus';
import { escapeThemeIcons } from '../../src/text/iconText';
import { groupRowLabel } from '../../src/views/groupTreeModel';
import { memberDescription, memberLabel, memberTooltip } from '../../src/views/memberRowText';
import { buildProfileBody } from '../../src/views/profileHtml';
import { statusMarkdown, statusSummary } from '../../src/views/statusText';
import { withUserDefaults } from '../../src/zulip/client';

const md = new MarkdownIt({ html: true, linkify: true });
const user = withUserDefaults({ user_id: 5, email: 'e@x.com', full_name: 'Eve' });

function assertInertMarkdown(markdown: string): void {
  // The member's own name is the one bold piece of a tooltip.
  const html = md.render(markdown).replace('<strong>Eve</strong>', '');
  assert.doesNotMatch(html, /<a\s|<img\s|<script|<strong>|<em>|<h\d/i, html);
}

for (const input of HOSTILE_PEOPLE_VALUES) {
  test(`inert: ${input.what}`, () => {
    const status = mergeStatus(undefined, { status_text: input.text, emoji_name: 'x', emoji_code: input.text, reaction_type: 'unicode_emoji' });
    assert.ok(status);
    const ctx = { site: 'https://z.example', member: () => undefined, profileFields: [], mode: 'none' as const, status, lastActive: 'Active now' };
    // A code that is no code point sequence shows no emoji (and no broken characters).
    if (!/^[0-9a-f-]+$/i.test(input.text)) assert.equal(memberLabel(user, ctx), 'Eve');
    assertInertMarkdown(memberTooltip(user, ctx));
    assertInertMarkdown(statusMarkdown(status) ?? '');
    const summary = statusSummary(status);
    assert.doesNotMatch(summary, /[\n\r\u202a-\u202e\u2066-\u2069]/, 'one line, no bidi controls');
    assert.doesNotMatch(escapeThemeIcons(summary), /(^|[^\\])\$\([a-z-]+(~[a-z-]+)?\)/, 'no theme icon in a quick pick detail');
    assert.doesNotMatch(memberDescription(user, ctx), /[\n\r]/);
    const html = buildProfileBody({ accountId: 'a', site: 'https://z.example', user, fields: [], member: () => undefined, status });
    assert.doesNotMatch(html, /<script|<img\s[^>]*onerror|<[^>]+\son\w+=|href="(javascript|command):/i);
    // Group names and descriptions are labels as typed (plain text) and escaped in tooltips.
    assert.equal(groupRowLabel({ id: 1, name: input.text, description: input.text, members: [] }), input.text);
  });
}
