// Custom emoji (GET /realm/emoji, realm_emoji in /register and its events) and their images,
// small generated PNGs at the paths Zulip uses (/user_avatars/{realm_id}/emoji/images/{id}.png).
import { FEATURE } from './features';
import type { RealmSettings } from './types';
import type { RealmEmojiRecord } from './userStatus';

export const EMOJI_IMAGE_SIZE = 64;

/** Where Zulip serves its one extra emoji's image (zulip_extra_emoji "zulip"). */
export const ZULIP_EMOJI_IMAGE_PATH = '/static/generated/emoji/images/emoji/unicode/zulip.png';

export function emojiImagePath(realm: RealmSettings, id: string): string {
  return `/user_avatars/${realm.realmId}/emoji/images/${id}.png`;
}

/** Keyed by id, deactivated emoji included (with deactivated: true), as Zulip sends them. */
export function realmEmojiForApi(emoji: readonly RealmEmojiRecord[], realm: RealmSettings): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const entry of emoji) {
    const item: Record<string, unknown> = {
      id: entry.id,
      name: entry.name,
      source_url: emojiImagePath(realm, entry.id),
      deactivated: entry.deactivated,
      author_id: entry.author_id,
    };
    if (realm.featureLevel >= FEATURE.EMOJI_STILL_URL) item.still_url = null;
    out[entry.id] = item;
  }
  return out;
}
