// Plain words for each way POST /jwt/fetch_api_key refuses a token (zerver/views/auth.py).
// The endpoint answers several cases with the same HTTP status and code BAD_REQUEST, so the
// server's English msg is the only thing that tells them apart; an unknown msg is shown as is.
import * as l10n from '@vscode/l10n';

export function jwtErrorMessage(site: string, status: number | undefined, code: string | undefined, serverMsg: string | undefined): string {
  const msg = serverMsg ?? '';
  if (code === 'NONEXISTENT_SUBDOMAIN' || status === 404) {
    return l10n.t('There is no Zulip organization at {0}. Check the organization URL.', site);
  }
  if (code === 'USER_DEACTIVATED') {
    return l10n.t('The account this token names is deactivated in {0}. Ask an administrator of the organization to reactivate it.', site);
  }
  if (code === 'REALM_DEACTIVATED') {
    return l10n.t('The organization at {0} has been deactivated.', site);
  }
  if (code === 'AUTHENTICATION_FAILED') {
    return l10n.t('No member of {0} has the email this token names. Check that the token was issued for this organization.', site);
  }
  if (/not enabled/i.test(msg)) {
    return l10n.t('{0} does not allow signing in with a JSON Web Token. Ask an administrator to enable JWT authentication, or sign in with an API key.', site);
  }
  if (/no json web token/i.test(msg)) {
    return l10n.t('No token was sent. Paste the JSON Web Token your identity provider issued.');
  }
  if (/no email specified/i.test(msg)) {
    return l10n.t('The token has no "email" claim, so the server cannot tell who you are. Ask whoever issues your tokens to include it.');
  }
  if (/bad json web token/i.test(msg)) {
    return l10n.t('{0} rejected the token: its signature, algorithm or format is wrong, or it has expired. Get a fresh token and try again.', site);
  }
  if (status === 401) {
    return msg ? l10n.t('{0} refused the token ("{1}").', site, msg) : l10n.t('{0} refused the token.', site);
  }
  const why = [msg, status ? `HTTP ${status}` : ''].filter(Boolean).join(', ');
  return why ? l10n.t('{0} could not sign you in with this token ({1}).', site, why) : l10n.t('{0} could not sign you in with this token.', site);
}
