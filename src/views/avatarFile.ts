// Which avatar image a hover card, a completion or Find Member may show: only a file the avatar
// cache has on disk. An https URL that cannot load would show as a broken image (the tree shows an
// icon instead), so without a file there is no image.
import { avatarUrl } from '../model/memberInfo';
import type { User } from '../zulip/types';

/** The part of the avatar cache used here (AvatarCache fits). */
export interface AvatarFiles {
  /** The file if it is on disk; never downloads. */
  cached(url: string): string | undefined;
  /** The file if it is on disk; else asks for it once in the background. */
  get(url: string): string | undefined;
  /** Fires with the URL whose file just arrived. */
  onDidLoad(listener: (url: string) => void): { dispose(): void };
}

/**
 * The avatar's file, or undefined when it is not on disk (yet). `download`: ask the cache to fetch
 * a missing avatar for next time (one image, once). Lists of many members don't: they would queue
 * hundreds of downloads per keystroke.
 */
export function avatarFile(site: string, user: User, avatars: AvatarFiles | undefined, download = false): string | undefined {
  const url = avatarUrl(user, site);
  return download ? avatars?.get(url) : avatars?.cached(url);
}
