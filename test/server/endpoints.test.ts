// Each endpoint's success shape, and the errors Zulip gives for bad input.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startZulipServer, type ZulipServer } from '../../server/app';
import { assertZulipError, call, credentialsOf, rawRequest, withServer } from './helpers';
import type {
  GroupsAnswer,
  OwnUserAnswer,
  PresenceAnswer,
  PresencesAnswer,
  ProfileFieldsAnswer,
  ServerSettingsAnswer,
  UserAnswer,
  UsersAnswer,
  WireUser,
  ZulipAnswer,
} from './wire';

let server: ZulipServer;

before(async () => {
  server = await startZulipServer({ port: 0, generatedMembers: 200, rateLimit: false });
});

after(async () => {
  await server.close();
});

async function members(query: Record<string, boolean> = {}, auth = server.demo as { email: string; apiKey: string }): Promise<WireUser[]> {
  const result = await call<UsersAnswer>(server, 'GET', '/users', { query, auth });
  assert.equal(result.status, 200, result.text);
  return result.json?.members as WireUser[];
}

describe('GET /server_settings', () => {
  test('needs no credentials and has every field a client looks at', async () => {
    const result = await call<ServerSettingsAnswer>(server, 'GET', '/server_settings', { auth: null });
    assert.equal(result.status, 200);
    assert.equal(result.headers.get('content-type'), 'application/json');
    const body = result.json!;
    assert.equal(body.result, 'success');
    assert.equal(body.msg, '');
    assert.equal(body.zulip_feature_level, 372);
    assert.equal(body.zulip_version, '10.2');
    assert.equal(body.realm_name, 'Zulip Dev');
    assert.equal(body.realm_url, server.url);
    assert.equal(body.realm_uri, server.url);
    assert.match(body.realm_icon, /^\/static\/images\//);
    for (const key of ['zulip_merge_base', 'realm_description']) assert.equal(typeof body[key], 'string', key);
    for (const key of ['push_notifications_enabled', 'is_incompatible', 'email_auth_enabled', 'require_email_format_usernames', 'realm_web_public_access_enabled']) {
      assert.equal(typeof body[key], 'boolean', key);
    }
    assert.equal(body.authentication_methods.password, true);
    assert.deepEqual(body.external_authentication_methods, []);
    assert.equal(result.headers.get('x-ratelimit-limit'), null, 'no rate-limit headers without authentication');
  });

  test('the realm icon it names is served as an image', async () => {
    const settings = (await call<ServerSettingsAnswer>(server, 'GET', '/server_settings', { auth: null })).json!;
    const icon = await fetch(new URL(settings.realm_icon, server.url));
    assert.equal(icon.status, 200);
    assert.equal(icon.headers.get('content-type'), 'image/png');
    const bytes = Buffer.from(await icon.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  test('at a host that is no organization, the organization fields are left out', async () => {
    const result = await rawRequest(server, { method: 'GET', path: '/api/v1/server_settings', headers: { Host: 'nosuchorg.example.com' } });
    const body = JSON.parse(result.text) as ZulipAnswer;
    assert.equal(body.result, 'success');
    assert.equal(body.zulip_feature_level, 372);
    assert.equal(body.realm_name, undefined);
    assert.equal(body.realm_url, undefined);
  });

  test('before feature level 257 there is realm_uri but no realm_url', async () => {
    await withServer({ featureLevel: 200 }, async (old) => {
      const body = (await call(old, 'GET', '/server_settings', { auth: null })).json!;
      assert.equal(body.zulip_feature_level, 200);
      assert.equal(body.realm_uri, old.url);
      assert.equal(body.realm_url, undefined);
    });
  });
});

describe('GET /users', () => {
  test('lists seeded and generated members, including deactivated ones, guests and bots of every type', async () => {
    const list = await members();
    assert.equal(list.length, server.org.size);
    assert.equal(new Set(list.map((m) => m.user_id)).size, list.length, 'unique ids');
    const hamlet = list.find((m) => m.user_id === 10)!;
    assert.equal(hamlet.full_name, 'King Hamlet');
    assert.equal(hamlet.email, 'hamlet@zulip.com');
    assert.equal(hamlet.role, 400);
    assert.equal(hamlet.is_admin, false);
    assert.equal(hamlet.timezone, '');
    assert.equal(hamlet.date_joined, '2019-10-20T07:50:53.729659+00:00');
    assert.equal(hamlet.bot_type, undefined, 'humans carry no bot fields');
    assert.equal(hamlet.profile_data, undefined, 'no profile data unless asked');
    assert.ok(list.some((m) => !m.is_active && !m.is_bot), 'a deactivated member');
    assert.ok(list.some((m) => m.is_guest && m.role === 600), 'a guest');
    assert.deepEqual([...new Set(list.filter((m) => m.is_bot).map((m) => m.bot_type))].sort(), [1, 2, 3, 4]);
    assert.ok(list.some((m) => m.is_bot && m.bot_owner_id === null), 'a bot without owner');
    const iagoBot = list.find((m) => m.user_id === 23)!;
    assert.equal(iagoBot.bot_owner_id, 11);
    assert.equal(iagoBot.delivery_email, 'iago-bot@zulipdev.com', "bots' addresses are always visible");
    for (const role of [100, 200, 300, 400, 600]) assert.ok(list.some((m) => m.role === role), `role ${role}`);
    const iagos = list.filter((m) => m.full_name === 'Iago');
    assert.equal(iagos.length, 2, 'two members share a full name');
    assert.ok(list.some((m) => m.timezone === '') && list.some((m) => m.timezone === 'Asia/Kathmandu'));
  });

  test('client_gravatar: null avatar_url only for Gravatar users whose address is public', async () => {
    const withDefault = await members();
    const hamlet = withDefault.find((m) => m.user_id === 10)!;
    assert.equal(hamlet.avatar_url, null, 'client_gravatar defaults to true');
    const cordelia = withDefault.find((m) => m.user_id === 8)!;
    assert.match(cordelia.avatar_url!, /^\/user_avatars\/2\/[0-9a-f]+\.png\?version=2$/, 'uploaded avatars are relative');
    const othello = withDefault.find((m) => m.user_id === 9)!;
    assert.match(othello.avatar_url!, /^https:\/\/secure\.gravatar\.com\/avatar\/[0-9a-f]{32}\?d=identicon&version=1$/, 'hidden address: URL given');
    const explicit = await members({ client_gravatar: false });
    assert.ok(explicit.every((m) => typeof m.avatar_url === 'string'));
    assert.equal(
      explicit.find((m) => m.user_id === 10)!.avatar_url,
      'https://secure.gravatar.com/avatar/6d8cad0fd00256e7b40691d27ddfd466?d=identicon&version=1',
      "the same hash as zulip.yaml's example for hamlet@zulip.com",
    );
  });

  test('include_custom_profile_fields adds profile_data to humans only', async () => {
    const list = await members({ include_custom_profile_fields: true });
    const hamlet = list.find((m) => m.user_id === 10)!;
    assert.deepEqual(hamlet.profile_data!['2'], {
      value: 'I am:\n* The prince of Denmark\n* Nephew to the usurping Claudius',
      rendered_value: '<p>I am:</p>\n<ul>\n<li>The prince of Denmark</li>\n<li>Nephew to the usurping Claudius</li>\n</ul>',
    });
    assert.deepEqual(hamlet.profile_data!['4'], { value: '0' }, 'non-Markdown fields have no rendered_value');
    assert.deepEqual(hamlet.profile_data!['7'], { value: '[11]' });
    assert.ok(list.filter((m) => !m.is_bot).every((m) => typeof m.profile_data === 'object'));
    assert.ok(list.filter((m) => m.is_bot).every((m) => m.profile_data === undefined));
    const generated = list.filter((m) => m.user_id >= 100 && !m.is_bot);
    const share = generated.filter((m) => Object.keys(m.profile_data!).length > 0).length / generated.length;
    assert.ok(share > 0.15 && share < 0.55, `about a third have profile data (${share})`);
  });

  test("delivery_email and email follow each member's visibility and the requester's role", async () => {
    const asMember = await members();
    const asAdmin = await members({}, credentialsOf(server, 11));
    const asGuest = await members({}, credentialsOf(server, 13));
    const pick = (list: WireUser[], id: number) => list.find((m) => m.user_id === id)!;
    // Cordelia: members only. Othello: admins only. Prospero: nobody.
    assert.equal(pick(asMember, 8).delivery_email, 'cordelia@zulip.com');
    assert.equal(pick(asGuest, 8).delivery_email, null);
    assert.equal(pick(asMember, 9).delivery_email, null);
    assert.equal(pick(asAdmin, 9).delivery_email, 'othello@zulip.com');
    assert.equal(pick(asAdmin, 12).delivery_email, null);
    for (const id of [8, 9, 12]) assert.equal(pick(asMember, id).email, `user${id}@zulip.testserver`, 'placeholder API email');
    assert.equal(pick(asMember, 7).email, 'AARON@zulip.com', 'public address is the API email');
    assert.ok(asMember.some((m) => m.delivery_email === null && /^user\d+@zulip\.testserver$/.test(m.email)));
  });

  test('unknown parameters are reported as ignored_parameters_unsupported, sorted', async () => {
    const result = await call<UsersAnswer>(server, 'GET', '/users', { query: { zeta: 1, alpha: 'x', client_gravatar: true } });
    assert.equal(result.status, 200);
    assert.deepEqual(result.json!.ignored_parameters_unsupported, ['alpha', 'zeta']);
  });

  test('a boolean that is not JSON is refused like Zulip', async () => {
    assertZulipError(await call(server, 'GET', '/users', { query: { client_gravatar: 'yes' } }), 400, 'BAD_REQUEST', 'client_gravatar is not valid JSON');
    assertZulipError(await call(server, 'GET', '/users', { query: { client_gravatar: 1 } }), 400, 'BAD_REQUEST', 'client_gravatar is not a boolean');
  });
});

describe('user_ids is gated on feature level 384', () => {
  test('at 384 it filters, and must be a JSON list of integers', async () => {
    await withServer({ featureLevel: 384 }, async (modern) => {
      const result = await call<UsersAnswer>(modern, 'GET', '/users', { query: { user_ids: [10, 8, 999999] } });
      assert.equal(result.status, 200);
      assert.deepEqual(result.json!.members.map((m) => m.user_id).sort((a, b) => a - b), [8, 10]);
      assert.equal(result.json!.ignored_parameters_unsupported, undefined);
      assertZulipError(await call(modern, 'GET', '/users', { query: { user_ids: '10' } }), 400, 'BAD_REQUEST', 'user_ids is not a list');
      assertZulipError(await call(modern, 'GET', '/users', { query: { user_ids: '["10"]' } }), 400, 'BAD_REQUEST', 'user_ids[0] is not an integer');
    });
  });

  test('below 384 it is ignored and said so, and everyone is listed', async () => {
    const result = await call<UsersAnswer>(server, 'GET', '/users', { query: { user_ids: [10] } });
    assert.equal(result.status, 200);
    assert.equal(result.json!.members.length, server.org.size);
    assert.deepEqual(result.json!.ignored_parameters_unsupported, ['user_ids']);
  });

  test('below 167 nothing is said about ignored parameters', async () => {
    await withServer({ featureLevel: 150 }, async (old) => {
      const result = await call(old, 'GET', '/users', { query: { user_ids: [10] } });
      assert.equal(result.status, 200);
      assert.equal(result.json!.ignored_parameters_unsupported, undefined);
    });
  });
});

describe('single users', () => {
  test('GET /users/{user_id}', async () => {
    const result = await call<UserAnswer>(server, 'GET', '/users/11', { query: { include_custom_profile_fields: true } });
    assert.equal(result.status, 200);
    assert.equal(result.json!.result, 'success');
    assert.equal(result.json!.user.full_name, 'Iago');
    assert.equal(result.json!.user.role, 200);
    assert.equal(result.json!.user.is_admin, true);
    assert.deepEqual(result.json!.user.profile_data!['7'], { value: '[10]' });
    const notificationBot = await call<UserAnswer>(server, 'GET', '/users/1');
    assert.equal(notificationBot.json!.user.full_name, 'Notification Bot', 'cross-realm bots are found by id');
    assertZulipError(await call(server, 'GET', '/users/999999'), 400, 'BAD_REQUEST', 'No such user');
  });

  test('GET /users/{email}: placeholder always, real address only where visible', async () => {
    const byReal = await call<UserAnswer>(server, 'GET', `/users/${encodeURIComponent('iago@zulip.com')}`);
    assert.equal(byReal.json!.user.user_id, 11);
    const mixedCase = await call<UserAnswer>(server, 'GET', `/users/${encodeURIComponent('aaron@ZULIP.com')}`);
    assert.equal(mixedCase.json!.user.user_id, 7, 'case-insensitive');
    const byPlaceholder = await call<UserAnswer>(server, 'GET', `/users/${encodeURIComponent('user12@zulip.testserver')}`);
    assert.equal(byPlaceholder.json!.user.user_id, 12);
    // Prospero hides his address from everyone, Othello shows it to admins only.
    assertZulipError(await call(server, 'GET', `/users/${encodeURIComponent('prospero@zulip.com')}`), 400, 'BAD_REQUEST', 'No such user');
    assertZulipError(await call(server, 'GET', `/users/${encodeURIComponent('othello@zulip.com')}`), 400, 'BAD_REQUEST', 'No such user');
    const asAdmin = await call<UserAnswer>(server, 'GET', `/users/${encodeURIComponent('othello@zulip.com')}`, { auth: credentialsOf(server, 11) });
    assert.equal(asAdmin.json!.user.user_id, 9);
    assertZulipError(await call(server, 'GET', `/users/${encodeURIComponent('no+one/../x@example.com')}`), 400, 'BAD_REQUEST', 'No such user');
  });

  test('GET /users/me: avatar URL always, profile data, delivery_email', async () => {
    const result = await call<OwnUserAnswer>(server, 'GET', '/users/me');
    assert.equal(result.status, 200);
    const me = result.json!;
    assert.equal(me.user_id, 10);
    assert.equal(me.delivery_email, 'hamlet@zulip.com');
    assert.equal(typeof me.avatar_url, 'string');
    assert.equal(me.profile_data!['3'].value, 'Dark chocolate');
    assert.equal(me.max_message_id, -1);
    assert.equal(me.user, undefined, 'fields at the top level');
  });
});

describe('realm data', () => {
  test('GET /realm/profile_fields: all 8 types, in order, with field_data', async () => {
    const result = await call<ProfileFieldsAnswer>(server, 'GET', '/realm/profile_fields');
    const fields = result.json!.custom_fields;
    assert.deepEqual([...new Set(fields.map((f) => f.type))].sort(), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(fields.map((f) => f.order), [...fields.map((f) => f.order)].sort((a, b) => a - b));
    const editor = fields.find((f) => f.name === 'Favorite editor')!;
    assert.deepEqual(JSON.parse(editor.field_data), { 0: { text: 'Vim', order: '1' }, 1: { text: 'Emacs', order: '2' } });
    assert.equal(editor.display_in_profile_summary, true);
    assert.equal(fields.find((f) => f.name === 'Phone number')!.display_in_profile_summary, undefined, 'sent only when true');
    assert.deepEqual(JSON.parse(fields.find((f) => f.name === 'GitHub')!.field_data), { subtype: 'github' });
    assert.match((JSON.parse(fields.find((f) => f.name === 'Mastodon')!.field_data) as { url_pattern: string }).url_pattern, /%\(username\)s/);
  });

  test('GET /realm/presence: keyed by API email, legacy format', async () => {
    const result = await call<PresencesAnswer>(server, 'GET', '/realm/presence');
    const body = result.json!;
    assert.equal(typeof body.server_timestamp, 'number');
    const hamlet = body.presences['hamlet@zulip.com'];
    assert.equal(hamlet.aggregated.status, 'active');
    assert.equal(hamlet.website.client, 'website');
    assert.ok(body.presences['user8@zulip.testserver'], 'hidden addresses appear as placeholders');
  });

  test('GET /users/{id_or_email}/presence, and its 400s', async () => {
    const hamlet = await call<PresenceAnswer>(server, 'GET', '/users/10/presence');
    assert.equal(hamlet.json!.presence.aggregated.status, 'active');
    const byEmail = await call<PresenceAnswer>(server, 'GET', '/users/hamlet@zulip.com/presence');
    assert.equal(byEmail.json!.presence.aggregated.status, 'active');
    const cordelia = await call<PresenceAnswer>(server, 'GET', '/users/8/presence');
    assert.equal(cordelia.json!.presence.aggregated.status, 'offline', 'ten minutes old');
    assertZulipError(await call(server, 'GET', '/users/23/presence'), 400, 'BAD_REQUEST', 'Presence is not supported for bot users.');
    assertZulipError(await call(server, 'GET', '/users/12/presence'), 400, 'BAD_REQUEST', 'No presence data for 12');
    assertZulipError(await call(server, 'GET', '/users/999999/presence'), 400, 'BAD_REQUEST', 'No such user');
  });

  test('GET /user_groups: system and user groups, deactivated ones only when asked', async () => {
    const groups = (await call<GroupsAnswer>(server, 'GET', '/user_groups')).json!.user_groups;
    const characters = groups.find((g) => g.name === 'hamletcharacters')!;
    assert.deepEqual([...characters.members].sort((a, b) => a - b), [8, 10]);
    assert.equal(characters.is_system_group, false);
    const owners = groups.find((g) => g.name === 'role:owners')!;
    assert.ok(owners.members.includes(5));
    assert.equal(owners.is_system_group, true);
    assert.ok(!groups.some((g) => g.deactivated));
    const all = (await call<GroupsAnswer>(server, 'GET', '/user_groups', { query: { include_deactivated_groups: true } })).json!.user_groups;
    assert.ok(all.some((g) => g.name === 'old-team' && g.deactivated === true));
    const villains = groups.find((g) => g.name === "Shakespeare's villains")!;
    assert.ok(!villains.members.includes(15), 'deactivated members are not group members');
  });
});

describe('unknown routes and methods', () => {
  test('404 JSON under /api, HTML elsewhere', async () => {
    assertZulipError(await call(server, 'GET', '/no_such_thing'), 404, 'BAD_REQUEST', 'Not Found');
    const page = await fetch(new URL('/no/such/page', server.url));
    assert.equal(page.status, 404);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  });

  test('405 for a known path with another method', async () => {
    const result = await call(server, 'PATCH', '/users');
    assertZulipError(result, 405, 'BAD_REQUEST', 'Method Not Allowed');
    assert.deepEqual(result.json!.allowed_methods, ['GET']);
  });
});

describe('avatars', () => {
  test('/avatar/{id} redirects to Gravatar or to the uploaded file, /medium to the large one', async () => {
    const gravatar = await fetch(new URL('/avatar/10', server.url), { redirect: 'manual' });
    assert.equal(gravatar.status, 302);
    assert.match(gravatar.headers.get('location')!, /^https:\/\/secure\.gravatar\.com\/avatar\/6d8cad0fd00256e7b40691d27ddfd466\?d=identicon&version=1$/);
    const medium = await fetch(new URL('/avatar/10/medium', server.url), { redirect: 'manual' });
    assert.match(medium.headers.get('location')!, /&s=500&/);
    const uploaded = await fetch(new URL('/avatar/8', server.url), { redirect: 'manual' });
    const location = uploaded.headers.get('location')!;
    assert.match(location, /^\/user_avatars\/2\/[0-9a-f]+\.png\?version=2$/);
    const image = await fetch(new URL(location, server.url));
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/png');
    const bytes = Buffer.from(await image.arrayBuffer());
    assert.equal(bytes.toString('latin1', 1, 4), 'PNG');
    assert.equal(bytes.readUInt32BE(16), 100, 'width');
    const mediumFile = await fetch(new URL((await fetch(new URL('/avatar/8/medium', server.url), { redirect: 'manual' })).headers.get('location')!, server.url));
    assert.equal(Buffer.from(await mediumFile.arrayBuffer()).readUInt32BE(16), 500);
    assert.equal((await fetch(new URL('/avatar/999999', server.url), { redirect: 'manual' })).status, 404);
  });

  test('an avatar change is visible at once through the redirect', async () => {
    server.org.updateUser(14, { avatar_url: null });
    const redirect = await fetch(new URL('/avatar/14', server.url), { redirect: 'manual' });
    assert.match(redirect.headers.get('location')!, /gravatar\.com.*version=3$/);
  });
});
