// A member's avatar as a Uri for VS Code to show: the file the Members tree's avatar cache has
// downloaded when there is one (works offline, no request), else the https URL.
import * as vscode from 'vscode';
import { avatarUrl } from '../model/memberInfo';
import type { User } from '../zulip/types';

/** The part of the avatar cache used here (AvatarCache fits): never downloads. */
export interface AvatarFiles {
  cached(url: string): string | undefined;
}

export function avatarUri(site: string, user: User, avatars?: AvatarFiles): vscode.Uri {
  const url = avatarUrl(user, site);
  const file = avatars?.cached(url);
  return file ? vscode.Uri.file(file) : vscode.Uri.parse(url);
}
