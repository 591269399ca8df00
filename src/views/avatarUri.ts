// A member's avatar as a Uri for VS Code to show: the file the avatar cache has downloaded (works
// offline and on plain-http servers, whose images VS Code's renderer refuses), or none.
import * as vscode from 'vscode';
import type { User } from '../zulip/types';
import { avatarFile, type AvatarFiles } from './avatarFile';

export type { AvatarFiles } from './avatarFile';

/** The cached avatar file as a Uri, or undefined (show no image): see avatarFile. */
export function avatarUri(site: string, user: User, avatars?: AvatarFiles, download = false): vscode.Uri | undefined {
  const file = avatarFile(site, user, avatars, download);
  return file ? vscode.Uri.file(file) : undefined;
}
