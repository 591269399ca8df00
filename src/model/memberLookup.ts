// Looking a member up on the server when the member index doesn't know them: by user id
// (GET /users/{id}) or by email (GET /users/{email}). What an email finds depends on the server:
// from feature level 39 the API email (the real address only when its owner shows it to everyone,
// else user{id}@host) works; from 302 a real address works too, when its owner's visibility
// setting lets you see it, and user{id}@host works for everyone. No vscode import.
import * as l10n from '@vscode/l10n';
import type { ZulipClient } from '../zulip/client';
import { ZulipError } from '../zulip/errors';
import type { User } from '../zulip/types';

/** Feature level of GET /users/{email}. */
export const EMAIL_LOOKUP_LEVEL = 39;
/** Feature level from which a real (delivery) email finds its member. */
export const REAL_EMAIL_LOOKUP_LEVEL = 302;

export type LookupTarget =
  | { kind: 'id'; userId: number }
  /** `user{id}@host`: Zulip's API handle for members whose address is hidden. */
  | { kind: 'placeholder'; email: string; userId: number }
  | { kind: 'email'; email: string };

/** What a typed query asks the server for, if it is an id or an email address. */
export function lookupTargetOf(query: string): LookupTarget | undefined {
  const text = query.trim();
  const id = /^#?(\d{1,15})$/.exec(text);
  if (id) return { kind: 'id', userId: Number(id[1]) };
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$|^[^\s@]+@localhost(:\d+)?$/i.test(text)) return undefined;
  const placeholder = /^user(\d{1,15})@/i.exec(text);
  if (placeholder) return { kind: 'placeholder', email: text, userId: Number(placeholder[1]) };
  return { kind: 'email', email: text };
}

export function describeTarget(target: LookupTarget): string {
  return target.kind === 'id' ? l10n.t('user id {0}', target.userId) : target.email;
}

/**
 * What this server can do with the target, said before asking it: undefined when the lookup is
 * an ordinary one, else a note for people (the lookup may still be tried).
 */
export function lookupNote(target: LookupTarget, featureLevel: number): string | undefined {
  if (target.kind === 'email' && featureLevel < EMAIL_LOOKUP_LEVEL) {
    return l10n.t('This server (feature level {0}) cannot look members up by email; that needs Zulip 4.0 (feature level {1}). Type the user id instead.', featureLevel, EMAIL_LOOKUP_LEVEL);
  }
  if (target.kind === 'email' && featureLevel < REAL_EMAIL_LOOKUP_LEVEL) {
    return l10n.t(
      'Looking up a real email address needs Zulip 10.0 (feature level {0}); this server is at {1}, where only an address its owner shows to everyone finds someone. The user{id}@host form still works.',
      REAL_EMAIL_LOOKUP_LEVEL,
      featureLevel,
    );
  }
  return undefined;
}

export type LookupResult = { ok: true; user: User } | { ok: false; message: string };

/**
 * Asks the server. Refusals ("No such user", "Insufficient permission": both HTTP 400 with code
 * BAD_REQUEST, so they cannot be told apart by code) become one message that quotes the server.
 */
export async function lookUpMember(client: ZulipClient, target: LookupTarget, organizationName: string): Promise<LookupResult> {
  let featureLevel: number;
  try {
    featureLevel = await client.featureLevel();
  } catch (error) {
    return { ok: false, message: l10n.t('Could not reach {0}: {1}', organizationName, (error as Error).message) };
  }
  if (target.kind === 'email' && featureLevel < EMAIL_LOOKUP_LEVEL) return { ok: false, message: lookupNote(target, featureLevel)! };
  const options = { clientGravatar: true, includeCustomProfileFields: true };
  try {
    const user =
      target.kind === 'id' || (target.kind === 'placeholder' && featureLevel < EMAIL_LOOKUP_LEVEL)
        ? await client.getUser(target.userId, options)
        : await client.getUserByEmail(target.email, options);
    return { ok: true, user };
  } catch (error) {
    return { ok: false, message: refusalMessage(error, target, featureLevel, organizationName) };
  }
}

function refusalMessage(error: unknown, target: LookupTarget, featureLevel: number, organizationName: string): string {
  if (!(error instanceof ZulipError) || error.kind !== 'api' || error.status !== 400) {
    return l10n.t('Could not look up {0} in {1}: {2}', describeTarget(target), organizationName, (error as Error).message ?? String(error));
  }
  const said = error.serverMsg ? ` ${l10n.t('(the server said: "{0}")', error.serverMsg)}` : '';
  if (target.kind === 'email') {
    const why =
      featureLevel < REAL_EMAIL_LOOKUP_LEVEL
        ? l10n.t('Before Zulip 10.0 (feature level {0}) only an address shown to everyone, or user{id}@host, finds a member; this server is at {1}.', REAL_EMAIL_LOOKUP_LEVEL, featureLevel)
        : l10n.t('Either nobody has that address, or its owner does not let you see it.');
    return `${l10n.t('{0} has no member with the email {1} that you may see{2}.', organizationName, target.email, said)} ${why}`;
  }
  const id = target.userId;
  return `${l10n.t('{0} has no member with user id {1} that you may see{2}.', organizationName, id, said)} ${l10n.t('Either there is no such member, or you are not allowed to see them.')}`;
}
