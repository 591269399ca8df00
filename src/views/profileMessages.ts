// What the profile page may ask of the extension, checked before anything is done: a known
// command, and for openProfile a positive integer user id. Anything else is ignored. (The panel's
// saved state is a MemberRef, checked by parseMemberRef.)
import { PROFILE_COMMANDS, type ProfileCommand } from './profileHtml';

export type ProfileMessage = { command: Exclude<ProfileCommand, 'openProfile'> } | { command: 'openProfile'; userId: number };

export function parseProfileMessage(message: unknown): ProfileMessage | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const { command, userId } = message as { command?: unknown; userId?: unknown };
  if (typeof command !== 'string' || !(PROFILE_COMMANDS as readonly string[]).includes(command)) return undefined;
  if (command === 'openProfile') {
    const id = typeof userId === 'string' && /^\d{1,15}$/.test(userId) ? Number(userId) : userId;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) return undefined;
    return { command, userId: id };
  }
  return { command: command as Exclude<ProfileCommand, 'openProfile'> };
}
