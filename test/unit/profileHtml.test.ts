// The profile page's HTML: escaping, each custom field type, hostile values, the CSP, and the
// checks on what the page may send back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withUserDefaults } from '../../src/zulip/client';
import type { CustomProfileField, User } from '../../src/zulip/types';
import { safeHttpUrl, sanitizeRenderedHtml } from '../../src/text/htmlSanitizer';
import { buildMessageBody, buildProfileBody, buildProfilePage, GRAVATAR_ORIGIN, imageSources, renderFieldValue, siteOrigin, type ProfileData } from '../../src/views/profileHtml';
import { parseMemberRef } from '../../src/model/memberRef';
import { parseProfileMessage } from '../../src/views/profileMessages';

const site = 'https://chat.example.com';

const field = (id: number, type: number, name: string, field_data = ''): CustomProfileField => ({ id, type, name, order: id, hint: '', field_data });

const FIELDS: CustomProfileField[] = [
  field(1, 1, 'Title'),
  field(2, 2, 'Biography'),
  field(3, 3, 'Team', JSON.stringify({ '0': { text: 'Backend', order: '1' }, '1': { text: '<b>Front</b>end', order: '2' } })),
  field(4, 4, 'Birthday'),
  field(5, 5, 'Website'),
  field(6, 6, 'Mentors'),
  field(7, 7, 'GitHub', JSON.stringify({ subtype: 'github' })),
  field(8, 8, 'Pronouns'),
  field(9, 7, 'Blog', JSON.stringify({ subtype: 'custom', url_pattern: 'https://blog.example.com/u/%(username)s' })),
  field(10, 7, 'Twitter', JSON.stringify({ subtype: 'twitter' })),
];

const alice = withUserDefaults({ user_id: 5, full_name: 'Alice <Admin>', email: 'alice@example.com', delivery_email: 'alice@example.com', role: 200 });
const bob = withUserDefaults({ user_id: 6, full_name: 'Bob', email: 'user6@chat.example.com' });
const others = new Map<number, User>([
  [5, alice],
  [6, bob],
]);

function data(user: Partial<User>, extra: Partial<ProfileData> = {}): ProfileData {
  return {
    accountId: `${site}|me@example.com`,
    site,
    user: withUserDefaults({ user_id: 42, full_name: 'Hamlet', email: 'hamlet@example.com', delivery_email: 'hamlet@example.com', timezone: 'Europe/Berlin', date_joined: '2020-06-01T10:00:00+00:00', ...user }),
    fields: FIELDS,
    member: (id) => others.get(id),
    now: new Date('2024-03-05T12:34:00Z'),
    locale: 'en-US',
    ...extra,
  };
}

/** No executable markup anywhere: no script elements, event handlers, or script URLs. */
function assertInert(html: string): void {
  assert.doesNotMatch(html, /<script\b/i, html);
  assert.doesNotMatch(html, /<[^>]+\son\w+\s*=/i, html);
  assert.doesNotMatch(html, /(href|src)\s*=\s*["']?\s*(javascript|data|vbscript|command|file):/i, html);
  assert.doesNotMatch(html, /<(iframe|object|embed|style|form|input|svg|math|base|meta|link)\b/i, html);
}

test('names, pronouns, emails and field names are escaped', () => {
  const body = buildProfileBody(
    data({
      full_name: '<script>alert(1)</script> & "Co"',
      profile_data: { '8': { value: '<img src=x onerror=alert(1)>' }, '1': { value: '[x](command:zulip.signOut)' } },
    }, { fields: [...FIELDS, { ...field(11, 1, '<b>Field</b> name'), order: 11 }] }),
  );
  assertInert(body);
  assert.match(body, /<h1 class="name">&#60;script&#62;alert\(1\)&#60;\/script&#62; &#38; &#34;Co&#34;<\/h1>/);
  assert.match(body, /<p class="pronouns">&#60;img src=x onerror=alert\(1\)&#62;<\/p>/);
  assert.match(body, /\[x\]\(command:zulip\.signOut\)/, 'Markdown-looking text stays text');
  assert.doesNotMatch(body, /<a [^>]*command:/);
});

test('the header: role badge, presence, deactivated, real email only, user id, local time, joined', () => {
  const body = buildProfileBody(data({ role: 100 }, { presence: 'active' }));
  assert.match(body, /class="badge role role-owner">Owner</);
  assert.match(body, /presence-active/);
  assert.match(body, /<span class="email">hamlet@example\.com<\/span>/);
  assert.match(body, /data-command="copyEmail"/);
  assert.match(body, /<dt>User ID<\/dt><dd>42<\/dd>/);
  assert.match(body, /data-timezone="Europe\/Berlin">Tue 1:34 PM</);
  assert.match(body, /June 1, 2020/);

  const hidden = buildProfileBody(data({ delivery_email: null, email: 'user42@chat.example.com', is_active: false }));
  assert.doesNotMatch(hidden, /user42@/, 'a placeholder address is never shown');
  assert.doesNotMatch(hidden, /copyEmail/);
  assert.match(hidden, /Hidden/);
  assert.match(hidden, /badge deactivated/);
  assert.doesNotMatch(hidden, /presence-/);
});

test('an invalid or empty time zone says so instead of failing', () => {
  assert.match(buildProfileBody(data({ timezone: 'Mars/Olympus_Mons' })), /Unknown time zone &#34;Mars\/Olympus_Mons&#34;/);
  assert.match(buildProfileBody(data({ timezone: '' })), /No time zone set/);
});

test('imported stubs are noted', () => {
  assert.match(buildProfileBody(data({ is_imported_stub: true })), /imported; has not signed in yet/);
});

test('bots show their type and an owner link that opens the owner', () => {
  const body = buildProfileBody(data({ is_bot: true, bot_type: 2, bot_owner_id: 5 }));
  assert.match(body, /<dt>Bot type<\/dt><dd>Incoming webhook<\/dd>/);
  assert.match(body, /<button type="button" class="link member-link" data-command="openProfile" data-user-id="5">Alice &#60;Admin&#62;<\/button>/);
  assert.doesNotMatch(body, /Local time/);
  assert.match(buildProfileBody(data({ is_bot: true, bot_type: 1, bot_owner_id: 999 })), /Unknown user \(999\)/);
});

test('each custom field type renders as its type says, in the organization order', () => {
  const body = buildProfileBody(
    data({
      profile_data: {
        '10': { value: 'hamlet_tw' },
        '1': { value: 'Prince', rendered_value: '<p>Prince</p>' },
        '2': { value: '**bold**', rendered_value: '<p><strong>bold</strong> <a href="/user_uploads/x.pdf">doc</a></p>' },
        '3': { value: '1' },
        '4': { value: '1990-04-23' },
        '5': { value: 'https://hamlet.example.com/?a=1&b=2' },
        '6': { value: '[5, 6, 77]' },
        '7': { value: 'ham let' },
        '8': { value: 'he/him' },
        '9': { value: 'hamlet' },
      },
    }),
  );
  assertInert(body);
  const names = [...body.matchAll(/<div class="fact field[^"]*"><dt>([^<]*)<\/dt>/g)].map((m) => m[1]);
  assert.deepEqual(names, ['Title', 'Biography', 'Team', 'Birthday', 'Website', 'Mentors', 'GitHub', 'Pronouns', 'Blog', 'Twitter']);
  assert.match(body, /<span class="rendered"><p>Prince<\/p><\/span>/);
  assert.match(body, /<strong>bold<\/strong> <a href="https:\/\/chat\.example\.com\/user_uploads\/x\.pdf">doc<\/a>/);
  assert.match(body, /&#60;b&#62;Front&#60;\/b&#62;end/, 'option text is text');
  assert.match(body, /<time datetime="1990-04-23">April 23, 1990<\/time>/);
  assert.match(body, /<a href="https:\/\/hamlet\.example\.com\/\?a=1&#38;b=2"/);
  assert.match(body, /data-user-id="5">Alice &#60;Admin&#62;<\/button>, <button[^>]*data-user-id="6">Bob<\/button>, <span class="unknown-member">Unknown user \(77\)<\/span>/);
  assert.match(body, /<a href="https:\/\/github\.com\/ham%20let"[^>]*>ham let<\/a>/);
  assert.match(body, /<a href="https:\/\/blog\.example\.com\/u\/hamlet"/);
  assert.match(body, /<a href="https:\/\/twitter\.com\/hamlet_tw"/);
  assert.match(body, /<dt>Pronouns<\/dt><dd>he\/him<\/dd>/);
});

test('hostile field values stay inert', () => {
  const hostile = {
    '1': { value: 'x', rendered_value: '<p>hi<script>alert(1)</script><img src=x onerror="alert(1)"><a href="javascript:alert(1)">j</a></p>' },
    '2': {
      value: 'x',
      rendered_value:
        '<a href="&#106;avascript:alert(1)">e</a><a href=" JAVASCRIPT:alert(1)">u</a><a href="data:text/html,<script>">d</a><img src="data:image/png;base64,AA"><iframe src="https://evil"></iframe><style>*{}</style><svg onload=alert(1)><a href="command:zulip.signOut">c</a><p style="color:red" onclick="x()">s</p><form action="https://evil"><input></form><a href="vbscript:x">v</a>',
    },
    '5': { value: 'javascript:alert(1)' },
    '7': { value: '"><script>alert(1)</script>' },
    '9': { value: '../../x?y=<z>' },
    '3': { value: '__proto__' },
    '6': { value: 'not json <b>' },
  };
  const body = buildProfileBody(data({ profile_data: hostile }));
  assertInert(body);
  assert.match(body, /<dt>Website<\/dt><dd>javascript:alert\(1\)<\/dd>/, 'a javascript: link shows as text');
  assert.match(body, /<a>j<\/a>/, 'the unsafe link keeps its text and loses its target');
  assert.match(body, /<p>s<\/p>/, 'style and handlers are dropped');
  assert.match(body, /https:\/\/github\.com\/%22%3E%3Cscript%3Ealert\(1\)%3C%2Fscript%3E/);
  assert.match(body, /not json &#60;b&#62;/);
});

test('the sanitizer keeps formatting and http(s) links, and resolves relative ones', () => {
  assert.equal(sanitizeRenderedHtml('<p><em>a</em> <code>b</code></p>', site), '<p><em>a</em> <code>b</code></p>');
  assert.equal(sanitizeRenderedHtml('<a href="#narrow/dm/1">x</a>', site), '<a href="https://chat.example.com/#narrow/dm/1">x</a>');
  assert.equal(sanitizeRenderedHtml('<span class="user-mention" data-user-id="5">@Alice</span>', site), '<span class="user-mention">@Alice</span>');
  assert.equal(sanitizeRenderedHtml('<span class="a&quot; onclick=&quot;x">t</span>', site), '<span>t</span>');
  assert.equal(sanitizeRenderedHtml('<a href="https://user:pw@evil.example/">x</a>', site), '<a>x</a>');
});

test('safeHttpUrl accepts http(s) only', () => {
  assert.equal(safeHttpUrl('https://example.com/a b'), 'https://example.com/a%20b');
  assert.equal(safeHttpUrl('HTTP://Example.com'), 'http://example.com/');
  for (const bad of ['javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'command:zulip.signOut', 'vscode://x', '//evil.com', 'not a url', ''])
    assert.equal(safeHttpUrl(bad), undefined, bad);
});

test('select fields: unknown option keys show the key, marked', () => {
  assert.match(renderFieldValue(FIELDS[2], { value: '7' }, { site, member: () => undefined })!, /unknown-option">7</);
  assert.equal(renderFieldValue(FIELDS[0], { value: '  ' }, { site, member: () => undefined }), undefined);
});

test('the page: strict CSP with a nonce, only the given script and style, the site origin (no other https host) for images', () => {
  const page = buildProfilePage(buildProfileBody(data({})), {
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: 'abcdefghijklmnopqrstuvwxyz012345',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/media/profile.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/media/profile.css',
    site: 'http://127.0.0.1:9991',
    title: 'Hamlet <x>',
  });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(page)![1].replace(/&#39;/g, "'");
  assert.equal(
    csp,
    "default-src 'none'; img-src https://file+.vscode-resource.vscode-cdn.net http://127.0.0.1:9991; style-src https://file+.vscode-resource.vscode-cdn.net; script-src 'nonce-abcdefghijklmnopqrstuvwxyz012345'; form-action 'none'; base-uri 'none'",
  );
  assert.equal([...page.matchAll(/<script\b/g)].length, 1);
  assert.match(page, /<script nonce="abcdefghijklmnopqrstuvwxyz012345" src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/media\/profile\.js"><\/script>/);
  assert.match(page, /<title>Hamlet &#60;x&#62;<\/title>/);
  assert.doesNotMatch(page, /style=/);
  assert.throws(() => buildProfilePage('', { cspSource: 'x', nonce: 'short', scriptUri: '', styleUri: '', title: '' }));
  assert.equal(siteOrigin('javascript:alert(1)'), '');
  assert.equal(siteOrigin("https://a.example.com/zulip'; script-src *"), 'https://a.example.com');
});

test('message bodies escape their text', () => {
  const body = buildMessageBody('acc"<', 7, '<b>gone</b>', true);
  assert.match(body, /data-account-id="acc&#34;&#60;"/);
  assert.match(body, /&#60;b&#62;gone/);
  assert.match(body, /data-command="refresh"/);
});

test('messages from the page are checked before anything is done', () => {
  assert.deepEqual(parseProfileMessage({ command: 'copyMention' }), { command: 'copyMention' });
  assert.deepEqual(parseProfileMessage({ command: 'openProfile', userId: 5 }), { command: 'openProfile', userId: 5 });
  assert.deepEqual(parseProfileMessage({ command: 'openProfile', userId: '5' }), { command: 'openProfile', userId: 5 });
  for (const bad of [null, 'copyMention', [], {}, { command: 'eval' }, { command: 'openProfile' }, { command: 'openProfile', userId: -1 }, { command: 'openProfile', userId: 1.5 }, { command: 'openProfile', userId: '5; rm' }, { command: '__proto__' }, { command: 'toString' }])
    assert.equal(parseProfileMessage(bad), undefined, JSON.stringify(bad));
});

test('saved panel state is an account id and a user id, nothing else', () => {
  assert.deepEqual(parseMemberRef({ accountId: 'a|b', userId: 3, apiKey: 'x' }), { accountId: 'a|b', userId: 3 });
  for (const bad of [undefined, null, {}, { accountId: '', userId: 3 }, { accountId: 'a', userId: '3' }, { accountId: 'a', userId: 0 }]) assert.equal(parseMemberRef(bad), undefined);
});

test('images: the webview, the site, and Gravatar only when the avatar comes from it', () => {
  const webview = 'https://file+.vscode-resource.vscode-cdn.net';
  assert.deepEqual(imageSources(webview, 'https://chat.example.com', 'https://chat.example.com/user_avatars/2/a-medium.png'), [webview, 'https://chat.example.com']);
  assert.deepEqual(imageSources(webview, 'https://chat.example.com', `${GRAVATAR_ORIGIN}/avatar/abc?d=identicon`), [webview, 'https://chat.example.com', GRAVATAR_ORIGIN]);
  assert.deepEqual(imageSources(webview, 'https://chat.example.com', 'https://elsewhere.example/a.png'), [webview, 'https://chat.example.com'], 'no other host, even for an avatar');
  assert.deepEqual(imageSources(webview, undefined, undefined), [webview]);
  const page = (avatar?: string) =>
    buildProfilePage('', { cspSource: webview, nonce: 'abcdefghijklmnopqrstuvwxyz012345', scriptUri: '', styleUri: '', site: 'https://chat.example.com', avatar, title: '' });
  assert.match(page(`${GRAVATAR_ORIGIN}/avatar/abc`), /img-src [^;]*https:\/\/secure\.gravatar\.com/);
  assert.doesNotMatch(page(), /gravatar|img-src[^;]* https:(;| )/);
});

test("the sanitizer drops images from other hosts (they would learn who looked); the site's own stay", () => {
  assert.equal(sanitizeRenderedHtml('<p><img src="https://elsewhere.example/pixel" alt="logo"></p>', site), '<p>logo</p>');
  assert.equal(sanitizeRenderedHtml('<img src="http://elsewhere.example/pixel">', site), '');
  assert.equal(sanitizeRenderedHtml('<img src="//elsewhere.example/pixel">', site), '', 'scheme-relative: another host too');
  assert.equal(sanitizeRenderedHtml('<img src="http://chat.example.com/x.png">', site), '', 'the site over plain http is another origin');
  assert.equal(sanitizeRenderedHtml('<img src="/user_uploads/1/ab/x.png" alt="x">', site), '<img src="https://chat.example.com/user_uploads/1/ab/x.png" alt="x">');
  assert.equal(
    sanitizeRenderedHtml('<img src="https://chat.example.com/external_content/abc/def">', site),
    '<img src="https://chat.example.com/external_content/abc/def">',
    "Zulip's camo proxy, on the site",
  );
  assert.equal(sanitizeRenderedHtml('<img alt="&quot;><script>x</script>" src="https://elsewhere.example/p">', site), '&#34;&#62;&#60;script&#62;x&#60;/script&#62;');
});

test('the status and last active words: emoji from code points, hostile text escaped', () => {
  const body = buildProfileBody(
    data({}, { status: { text: '<img src=x onerror=alert(1)> [x](command:zulip.signOut)', emoji: { name: 'thinking', code: '1f914', type: 'unicode_emoji' }, away: false }, presence: 'offline', lastActive: 'Active 5 minutes ago' }),
  );
  assertInert(body);
  assert.match(body, /<span class="user-status">🤔 &#60;img src=x onerror=alert\(1\)&#62; \[x\]\(command:zulip\.signOut\)<\/span>/);
  assert.match(body, /Active 5 minutes ago/);
  const custom = buildProfileBody(data({}, { status: { text: '', emoji: { name: 'green_tick', code: '1', type: 'realm_emoji' }, away: false } }));
  assert.match(custom, /<span class="user-status">:green_tick:<\/span>/);
});
