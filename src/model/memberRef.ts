// The one way a member is named across the extension: an account and a user id. Tree rows,
// command arguments (hover links, Find Member, the profile page) and the profile panel's saved
// state all carry it; anything arriving from outside is checked here before it is used.

export interface MemberRef {
  readonly accountId: string;
  readonly userId: number;
}

/** Account ids are `site|email`; anything longer is not one this extension wrote. */
const MAX_ACCOUNT_ID_LENGTH = 2000;

/**
 * A member reference from an untrusted value (a command argument, or a webview's saved state),
 * or undefined when it is not one. A one-element argument list counts as its element.
 */
export function parseMemberRef(value: unknown): MemberRef | undefined {
  if (Array.isArray(value)) value = value[0];
  if (typeof value !== 'object' || value === null) return undefined;
  const { accountId, userId } = value as { accountId?: unknown; userId?: unknown };
  if (typeof accountId !== 'string' || accountId.length === 0 || accountId.length > MAX_ACCOUNT_ID_LENGTH) return undefined;
  if (typeof userId !== 'number' || !Number.isSafeInteger(userId) || userId <= 0) return undefined;
  return { accountId, userId };
}
