// The organization's custom emoji (POST /register's `realm_emoji`, kept live by `realm_emoji`
// events) and where the image of a status's custom or Zulip emoji is. Emoji data is server data:
// only an http(s) URL on the organization's own site is ever used, never anything else it names.
// Plain Node.
import type { RealmEmoji } from '../zulip/types';
import type { UserStatus } from './userStatus';
import { isRecord } from '../common/untrusted';

/** Zulip's one extra emoji (web/src/emoji.ts zulip_emoji): the image every Zulip server serves. */
export const ZULIP_EMOJI_PATH = '/static/generated/emoji/images/emoji/unicode/zulip.png';

/** Reads a `realm_emoji` map (keyed by id); entries of another shape are skipped. */
export function parseRealmEmoji(value: unknown): Map<string, RealmEmoji> {
  const out = new Map<string, RealmEmoji>();
  if (!isRecord(value)) return out;
  for (const [id, entry] of Object.entries(value)) {
    if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.source_url !== 'string') continue;
    out.set(id, {
      id,
      name: entry.name,
      source_url: entry.source_url,
      still_url: typeof entry.still_url === 'string' ? entry.still_url : null,
      deactivated: entry.deactivated === true,
    });
  }
  return out;
}

/** The URL resolved against the site, when it is http(s) on the site's own origin; else undefined. */
export function sameSiteUrl(url: string, site: string): string | undefined {
  try {
    const base = new URL(site);
    const resolved = new URL(url, base.href.endsWith('/') ? base.href : base.href + '/');
    if (resolved.origin !== base.origin || !/^https?:$/.test(resolved.protocol) || resolved.username || resolved.password) return undefined;
    return resolved.href;
  } catch {
    return undefined;
  }
}

/**
 * The image of a status's emoji: a custom emoji's still image (an animated one stays still, as
 * Zulip shows statuses) or its source, or the Zulip emoji; undefined for a Unicode emoji (drawn as
 * text), an id the organization does not have, or an image off the organization's site.
 */
export function statusEmojiImageUrl(status: UserStatus | undefined, emoji: ReadonlyMap<string, RealmEmoji>, site: string): string | undefined {
  const chosen = status?.emoji;
  if (!chosen) return undefined;
  if (chosen.type === 'zulip_extra_emoji') return chosen.code === 'zulip' ? sameSiteUrl(ZULIP_EMOJI_PATH, site) : undefined;
  if (chosen.type !== 'realm_emoji') return undefined;
  const entry = emoji.get(chosen.code);
  if (!entry) return undefined;
  return sameSiteUrl(entry.still_url || entry.source_url, site);
}
