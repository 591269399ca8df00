// The checks every sign-in passes before anything is saved: is the site a Zulip server (GET
// /server_settings), and does the key work (GET /users/me). A failure saves nothing and leaves
// every signed-in account as it was.
import * as l10n from '@vscode/l10n';
import type { CreateClient } from '../zulip/client';
import { ZulipError } from '../zulip/errors';
import type { OwnUser, ServerSettings } from '../zulip/types';
import type { Account, AccountStore } from './accountStore';

export interface VerifiedSignIn {
  settings: ServerSettings;
  me: OwnUser;
}

/** Throws a ZulipError whose message says which check failed and why. */
export async function checkZulipServer(createClient: CreateClient, site: string): Promise<ServerSettings> {
  try {
    return await createClient({ site }).getServerSettings();
  } catch (error) {
    if (error instanceof ZulipError && (error.kind === 'api' || error.kind === 'notZulip') && error.status === 404) {
      throw new ZulipError(l10n.t('{0} does not look like a Zulip server (no /api/v1/server_settings). Check the organization URL.', site), {
        kind: 'notZulip',
        url: error.url,
        status: 404,
      });
    }
    throw error;
  }
}

export async function verifyCredentials(createClient: CreateClient, site: string, email: string, apiKey: string): Promise<VerifiedSignIn> {
  const settings = await checkZulipServer(createClient, site);
  const me = await createClient({ site, email, apiKey }).getOwnUser();
  return { settings, me };
}

export function accountFrom(site: string, { settings, me }: VerifiedSignIn): Omit<Account, 'id' | 'needsSignIn'> {
  return {
    site,
    // The server's spelling of the real address: Basic auth must use it.
    email: me.delivery_email || me.email,
    userId: me.user_id,
    fullName: me.full_name,
    realmName: settings.realm_name || new URL(site).host,
    realmIcon: settings.realm_icon ? new URL(settings.realm_icon, site).href : undefined,
    featureLevel: settings.zulip_feature_level,
    zulipVersion: settings.zulip_version,
  };
}

/** Verifies, then saves. Returns the saved account. */
export async function signInWithApiKey(store: AccountStore, createClient: CreateClient, site: string, email: string, apiKey: string): Promise<Account> {
  const verified = await verifyCredentials(createClient, site, email, apiKey);
  return store.save(accountFrom(site, verified), apiKey);
}

/**
 * Exchanges a JWT for an API key, then verifies and saves like any sign-in. The token itself is
 * never stored.
 */
export async function signInWithJwt(store: AccountStore, createClient: CreateClient, site: string, token: string): Promise<Account> {
  await checkZulipServer(createClient, site);
  const fetched = await createClient({ site }).fetchApiKeyFromJwt(token, true);
  return signInWithApiKey(store, createClient, site, fetched.email, fetched.api_key);
}
