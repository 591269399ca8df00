// A member's avatar as a Uri for VS Code to show: the file the Members tree's avatar cache has
// downloaded when there is one (works offline and on plain-http servers, whose images VS Code's
// renderer refuses), else the https URL.
import * as vscode from 'vscode';
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
 * `download`: ask the cache to fetch a missing avatar for next time (one image, once). Lists of
 * many members don't: they would queue hundreds of downloads per keystroke.
 */
export function avatarUri(site: string, user: User, avatars?: AvatarFiles, download = false): vscode.Uri {
  const url = avatarUrl(user, site);
  const file = download ? avatars?.get(url) : avatars?.cached(url);
  return file ? vscode.Uri.file(file) : vscode.Uri.parse(url);
}
