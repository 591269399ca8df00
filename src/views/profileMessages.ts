// What the profile page may ask of the extension, checked before anything is done: a known
// command, and for openProfile a positive integer user id. Anything else is ignored. Also the
// panel's saved webview state (which must hold no secret: an account id and a user id).
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

export interface ProfileState {
  accountId: string;
  userId: number;
}

/** The state a restored panel brings back, if it is one this extension wrote. */
export function parseProfileState(state: unknown): ProfileState | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const { accountId, userId } = state as { accountId?: unknown; userId?: unknown };
  if (typeof accountId !== 'string' || accountId.length === 0 || accountId.length > 2000) return undefined;
  if (typeof userId !== 'number' || !Number.isSafeInteger(userId) || userId <= 0) return undefined;
  return { accountId, userId };
}
