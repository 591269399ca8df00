import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { AvatarCache, avatarKey } from '../../src/model/avatarCache';
import { avatarUrl } from '../../src/model/memberInfo';
import { avatarFile } from '../../src/views/avatarFile';
import { withUserDefaults, ZulipClient } from '../../src/zulip/client';

const SITE = 'https://chat.example.com';
const SCAN_WAIT_MS = 2000;

test('hover cards, completion and Find Member get an avatar only when its file is in the cache', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zulip-avatar-file-'));
  const cachedUser = withUserDefaults({ user_id: 8, full_name: 'King Hamlet', email: 'hamlet@example.com', avatar_url: 'https://chat.example.com/avatars/8.png' });
  const missingUser = withUserDefaults({ user_id: 9, full_name: 'Iago', email: 'iago@example.com', avatar_url: 'https://chat.example.com/avatars/9.png' });
  const cachedName = `${avatarKey(avatarUrl(cachedUser, SITE))}.png`;
  fs.writeFileSync(path.join(dir, cachedName), 'png');
  const cache = new AvatarCache({ dir, clientFor: (origin) => new ZulipClient({ site: origin, timeoutMs: 1000 }), log: () => undefined });
  try {
    const started = Date.now();
    while (!cache.cached(avatarUrl(cachedUser, SITE)) && Date.now() - started < SCAN_WAIT_MS) await new Promise((r) => setTimeout(r, 10));
    assert.equal(avatarFile(SITE, cachedUser, cache), path.join(dir, cachedName));
    assert.equal(avatarFile(SITE, missingUser, cache), undefined, 'no https URL that could show as a broken image');
    assert.equal(avatarFile(SITE, missingUser, undefined, true), undefined);
  } finally {
    cache.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
