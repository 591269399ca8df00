import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { withUserDefaults } from '../../src/zulip/client';
import {
  avatarUrl,
  botTypeLabel,
  directMessageUrl,
  formatDate,
  localTime,
  mentionText,
  profileUrl,
  pronounsOf,
  realEmail,
  roleLabel,
} from '../../src/model/memberInfo';
import type { User } from '../../src/zulip/types';

const site = 'https://chat.example.com';
const user = (over: Partial<User>): User => withUserDefaults({ user_id: 8, full_name: 'King Hamlet', email: 'hamlet@zulip.com', delivery_email: 'hamlet@zulip.com', ...over });

test('a null avatar_url is the Gravatar of the lowercased real email, with the version', () => {
  const md5 = createHash('md5').update('hamlet@zulip.com').digest('hex');
  assert.equal(avatarUrl(user({ avatar_url: null, avatar_version: 3, delivery_email: 'Hamlet@Zulip.com ' }), site), `https://secure.gravatar.com/avatar/${md5}?d=identicon&version=3`);
  assert.match(avatarUrl(user({ avatar_url: null }), site, 'medium'), /&s=500$/);
});

test('relative avatar URLs resolve against the site; absolute ones stay', () => {
  assert.equal(avatarUrl(user({ avatar_url: '/user_avatars/2/abc.png?version=2' }), site), 'https://chat.example.com/user_avatars/2/abc.png?version=2');
  assert.equal(avatarUrl(user({ avatar_url: '/user_avatars/2/abc.png' }), site, 'medium'), 'https://chat.example.com/user_avatars/2/abc-medium.png');
  assert.equal(avatarUrl(user({ avatar_url: 'https://cdn.example.net/a.png' }), site), 'https://cdn.example.net/a.png');
  assert.equal(avatarUrl(user({ avatar_url: 'user_avatars/x.png' }), 'https://example.com/zulip'), 'https://example.com/zulip/user_avatars/x.png');
});

test('a placeholder address is never presented as real', () => {
  assert.equal(realEmail(user({ delivery_email: null, email: 'user8@chat.example.com' })), undefined);
  assert.equal(realEmail(user({ delivery_email: null, email: 'hamlet@zulip.com' })), 'hamlet@zulip.com');
  assert.equal(realEmail(user({ delivery_email: 'real@zulip.com', email: 'user8@chat.example.com' })), 'real@zulip.com');
});

test('roles, bot types, mentions and links', () => {
  assert.equal(roleLabel(user({ role: 100 })), 'Owner');
  assert.equal(roleLabel(user({ role: 600 })), 'Guest');
  assert.equal(roleLabel(user({ is_bot: true, bot_type: 1 })), 'Bot');
  assert.equal(botTypeLabel(user({ is_bot: true, bot_type: 2 })), 'Incoming webhook');
  assert.equal(botTypeLabel(user({})), undefined);
  assert.equal(mentionText(user({})), '@**King Hamlet|8**');
  assert.equal(mentionText(user({}), true), '@_**King Hamlet|8**');
  assert.equal(profileUrl(site, 8), 'https://chat.example.com/#user/8');
  assert.equal(directMessageUrl(site, user({ full_name: 'A "B"  <c>/d`e%f' })), 'https://chat.example.com/#narrow/dm/8-A-B-c-d-e-f');
});

test('local time in the member zone, or why not', () => {
  const noon = new Date('2026-01-05T12:00:00Z');
  const tokyo = localTime('Asia/Tokyo', noon, 'en-US');
  assert.equal(tokyo.ok, true);
  assert.match(tokyo.ok ? tokyo.text : '', /9:00\s?PM/);
  assert.deepEqual(localTime('', noon), { ok: false, reason: 'No time zone set' });
  assert.deepEqual(localTime('Mars/Olympus', noon), { ok: false, reason: 'Unknown time zone "Mars/Olympus"' });
});

test('dates and pronouns', () => {
  assert.equal(formatDate('1990-12-31', 'en-US'), 'December 31, 1990');
  assert.equal(formatDate('not a date'), 'not a date');
  assert.equal(pronounsOf(user({ profile_data: { '9': { value: 'he/him' } } }), [9]), 'he/him');
  assert.equal(pronounsOf(user({ profile_data: {} }), [9]), undefined);
});
