// Avatar and image routes outside /api/v1: /avatar/{user_id}[/medium] redirects to the current
// avatar; /user_avatars/... serves generated images (avatars, and custom emoji under
// emoji/images/); /static/images/... the realm icon and the "Unknown user" avatar; the Zulip emoji.
import { UNKNOWN_USER_AVATAR_PATH } from './access';
import { EMOJI_IMAGE_SIZE, ZULIP_EMOJI_IMAGE_PATH } from './emoji';
import type { Org } from './org';
import { discImage } from './png';
import { jsonReply, type Reply } from './reply';
import { avatarUrl } from './serialize';

const cache = new Map<string, Buffer>();

function image(key: string, size: number, fixed?: Parameters<typeof discImage>[2]): Buffer {
  const cacheKey = `${key}:${size}`;
  let png = cache.get(cacheKey);
  if (!png) {
    png = discImage(key, size, fixed);
    if (cache.size > 2000) cache.clear();
    cache.set(cacheKey, png);
  }
  return png;
}

function pngReply(png: Buffer): Reply {
  return { status: 200, headers: { 'Cache-Control': 'public, max-age=86400' }, contentType: 'image/png', body: png };
}

function notFound(): Reply {
  return { status: 404, headers: {}, contentType: 'text/plain; charset=utf-8', body: 'Not Found\n' };
}

/** Handles the path if it is an image route; undefined otherwise. */
export function imageRoute(org: Org, method: string, pathname: string): Reply | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  const redirect = /^\/avatar\/(\d+)(\/medium)?$/.exec(pathname);
  if (redirect) {
    const id = Number(redirect[1]);
    const user = org.getUser(id) ?? org.crossRealmBots.find((bot) => bot.user_id === id);
    if (!user) return jsonReply(404, { result: 'error', msg: 'Not Found', code: 'BAD_REQUEST' });
    return { status: 302, headers: { Location: avatarUrl(user, org.realm, redirect[2] !== undefined) }, contentType: 'text/plain; charset=utf-8', body: '' };
  }
  const emoji = /^\/user_avatars\/(\d+)\/emoji\/images\/(\d+)\.png$/.exec(pathname);
  if (emoji) {
    // Deactivated emoji keep their image, as Zulip keeps the file: old messages still show it.
    if (Number(emoji[1]) !== org.realm.realmId || !org.realmEmoji.some((entry) => entry.id === emoji[2])) return notFound();
    return pngReply(image(`emoji-${emoji[2]}`, EMOJI_IMAGE_SIZE));
  }
  if (pathname === ZULIP_EMOJI_IMAGE_PATH) {
    // The zulip_extra_emoji every Zulip server ships (static/generated/emoji/images/emoji/unicode/zulip.png).
    return pngReply(image('zulip-emoji', EMOJI_IMAGE_SIZE, { background: [255, 255, 255], disc: [100, 146, 84] }));
  }
  if (pathname === UNKNOWN_USER_AVATAR_PATH) {
    return pngReply(image('unknown-user', 100, { background: [200, 200, 200], disc: [150, 150, 150] }));
  }
  const uploaded = /^\/user_avatars\/(\d+)\/([A-Za-z0-9_-]+?)(-medium)?\.png$/.exec(pathname);
  if (uploaded) {
    if (Number(uploaded[1]) !== org.realm.realmId) return notFound();
    return pngReply(image(uploaded[2], uploaded[3] ? 500 : 100));
  }
  if (pathname === org.realm.iconPath) {
    return pngReply(image('realm-icon', 128, { background: [100, 146, 84], disc: [255, 255, 255] }));
  }
  return undefined;
}
