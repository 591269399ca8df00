// A member found by a lookup joins the organization's index (every view sees it) without being
// written to the disk cache, which holds what the server's list holds.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { MembersChange } from '../../src/model/memberIndex';
import { Organization } from '../../src/model/organization';
import { withUserDefaults, ZulipClient } from '../../src/zulip/client';

const account = { id: 'https://chat.example.com|ann@example.com', site: 'https://chat.example.com', email: 'ann@example.com', userId: 1, fullName: 'Ann', realmName: 'Example', featureLevel: 372, zulipVersion: '10.2' };

test('addLookedUpMember: known at once, announced once, not cached, not twice', async () => {
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'zulip-lookup-'));
  const org = new Organization(account, new ZulipClient({ site: account.site }), { cacheDir });
  const changes: MembersChange[] = [];
  org.onDidChangeMembers((change) => changes.push(change));
  const guest = { user_id: 77, full_name: 'Far Guest', email: 'user77@chat.example.com' };
  org.addLookedUpMember(withUserDefaults(guest));
  assert.equal(org.members.get(77)?.full_name, 'Far Guest');
  assert.deepEqual(changes.map((c) => c.userIds), [[77]]);
  org.addLookedUpMember(withUserDefaults({ ...guest, full_name: 'Other' }));
  assert.equal(changes.length, 1, 'a member already known is left as it is');
  assert.equal(org.members.get(77)?.full_name, 'Far Guest');
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(await readdir(cacheDir), [], 'nothing was written to the cache');
  await org.dispose();
  await rm(cacheDir, { recursive: true, force: true });
});
