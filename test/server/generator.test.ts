// The member generator: scale, uniqueness, determinism, variety.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { MAX_GENERATED_MEMBERS } from '../../server/generate';
import type { Org } from '../../server/org';
import { buildOrg, defaultRealm } from '../../server/seed';
import { call, withServer } from './helpers';

function build(generatedMembers: number, seed: string | number): Org {
  return buildOrg({ seed, generatedMembers, realm: defaultRealm(372, 'Zulip Dev'), now: 1_700_000_000 });
}

function fingerprint(org: Org): string {
  const hash = createHash('sha256');
  for (const user of org.users.values()) hash.update(JSON.stringify({ ...user, profile_data: [...user.profile_data] }));
  for (const [id, presence] of org.presence) hash.update(`${id}:${presence.lastActive}:${presence.lastConnected}`);
  return hash.digest('hex');
}

describe('generator', () => {
  test('100,000 members generate quickly, with unique ids, emails and keys', () => {
    const started = performance.now();
    const org = build(100_000, 'scale');
    const elapsed = performance.now() - started;
    const seeded = build(0, 'scale').size;
    assert.equal(org.size, seeded + 100_000);
    const users = [...org.users.values()];
    assert.equal(new Set(users.map((u) => u.user_id)).size, users.length);
    assert.equal(new Set(users.map((u) => u.delivery_email.toLowerCase())).size, users.length);
    assert.equal(new Set(users.map((u) => u.api_key)).size, users.length);
    assert.ok(users.every((u) => /^[A-Za-z0-9]{32}$/.test(u.api_key)));
    assert.ok(elapsed < 10_000, `took ${elapsed.toFixed(0)} ms`);
  });

  test('deterministic for a seed, different for another', () => {
    assert.equal(fingerprint(build(5000, 42)), fingerprint(build(5000, 42)));
    assert.notEqual(fingerprint(build(5000, 42)), fingerprint(build(5000, 43)));
    assert.equal(fingerprint(build(5000, 'x')), fingerprint(build(5000, 'x')));
  });

  test('variety: roles, bots of each type with owners, deactivated, timezones, avatars, visibility, profile data', () => {
    const org = build(2000, 'variety');
    const generated = [...org.users.values()].filter((u) => u.user_id >= 100);
    assert.equal(generated.length, 2000);
    for (const role of [100, 200, 300, 400, 600]) assert.ok(generated.some((u) => u.role === role && !u.is_bot), `role ${role}`);
    const bots = generated.filter((u) => u.is_bot);
    assert.deepEqual([...new Set(bots.map((u) => u.bot_type))].sort(), [1, 2, 3, 4]);
    assert.ok(bots.some((u) => u.bot_owner_id !== null && org.getUser(u.bot_owner_id)?.is_bot === false), 'owned by humans');
    const deactivated = generated.filter((u) => !u.is_active).length / generated.length;
    assert.ok(deactivated > 0.02 && deactivated < 0.1, `deactivated share ${deactivated}`);
    assert.ok(generated.some((u) => u.timezone === '') && generated.some((u) => u.timezone === 'Asia/Kathmandu'));
    const gravatar = generated.filter((u) => u.avatar_source === 'G').length / generated.length;
    assert.ok(gravatar > 0.25 && gravatar < 0.55, `Gravatar share ${gravatar}`);
    const hidden = generated.filter((u) => !u.is_bot && u.email_address_visibility !== 1).length / generated.length;
    assert.ok(hidden > 0.3 && hidden < 0.6, `share with a placeholder email ${hidden}`);
    const withProfile = generated.filter((u) => !u.is_bot && u.profile_data.size > 0).length / generated.filter((u) => !u.is_bot).length;
    assert.ok(withProfile > 0.25 && withProfile < 0.42, `share with profile data ${withProfile}`);
    const names = generated.filter((u) => !u.is_bot).map((u) => u.full_name);
    assert.ok(names.length - new Set(names).size > 10, 'duplicate full names');
    assert.ok(names.some((name) => /[\u0080-\uffff]/.test(name)), 'non-ASCII names');
    assert.ok(names.some((name) => /[\u0400-\u04ff\u0600-\u06ff\u4e00-\u9fff]/.test(name)), 'non-Latin scripts');
    for (const user of generated) {
      for (const [fieldId, value] of user.profile_data) {
        const field = org.profileFields.find((f) => f.id === fieldId)!;
        assert.equal('rendered_value' in value, field.type === 1 || field.type === 2, `field ${fieldId}`);
        if (field.type === 6) assert.match(value.value, /^\[\d+\]$/);
      }
    }
  });

  test('the demo organization alone has every case a client must handle', () => {
    const org = build(0, 'demo');
    const users = [...org.users.values()];
    assert.ok(users.some((u) => !u.is_active && !u.is_bot), 'a deactivated member');
    assert.ok(users.some((u) => u.role === 600), 'a guest');
    assert.deepEqual([...new Set(users.filter((u) => u.is_bot).map((u) => u.bot_type))].sort(), [1, 2, 3, 4]);
    assert.deepEqual([...new Set(org.profileFields.map((f) => f.type))].sort(), [1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('more than 100,000 or a negative count is refused', () => {
    assert.throws(() => build(MAX_GENERATED_MEMBERS + 1, 'x'), RangeError);
    assert.throws(() => build(-1, 'x'), RangeError);
  });

  test('GET /users streams all of 100,000 members intact', async () => {
    await withServer({ generatedMembers: 100_000, rateLimit: false }, async (server) => {
      const result = await call(server, 'GET', '/users', { query: { include_custom_profile_fields: true } });
      assert.equal(result.status, 200);
      const members = result.json!.members as Array<{ user_id: number }>;
      assert.equal(members.length, server.org.size);
      assert.equal(new Set(members.map((m) => m.user_id)).size, members.length);
    });
  });
});
