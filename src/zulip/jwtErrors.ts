// Plain words for each way POST /jwt/fetch_api_key refuses a token (zerver/views/auth.py).
// The endpoint answers several cases with the same HTTP status and code BAD_REQUEST, so the
// server's English msg is the only thing that tells them apart; an unknown msg is shown as is.

export function jwtErrorMessage(site: string, status: number | undefined, code: string | undefined, serverMsg: string | undefined): string {
  const msg = serverMsg ?? '';
  if (code === 'NONEXISTENT_SUBDOMAIN' || status === 404) {
    return `There is no Zulip organization at ${site}. Check the organization URL.`;
  }
  if (code === 'USER_DEACTIVATED') {
    return `The account this token names is deactivated in ${site}. Ask an administrator of the organization to reactivate it.`;
  }
  if (code === 'REALM_DEACTIVATED') {
    return `The organization at ${site} has been deactivated.`;
  }
  if (code === 'AUTHENTICATION_FAILED') {
    return `No member of ${site} has the email this token names. Check that the token was issued for this organization.`;
  }
  if (/not enabled/i.test(msg)) {
    return `${site} does not allow signing in with a JSON Web Token. Ask an administrator to enable JWT authentication, or sign in with an API key.`;
  }
  if (/no json web token/i.test(msg)) {
    return 'No token was sent. Paste the JSON Web Token your identity provider issued.';
  }
  if (/no email specified/i.test(msg)) {
    return 'The token has no "email" claim, so the server cannot tell who you are. Ask whoever issues your tokens to include it.';
  }
  if (/bad json web token/i.test(msg)) {
    return `${site} rejected the token: its signature, algorithm or format is wrong, or it has expired. Get a fresh token and try again.`;
  }
  if (status === 401) {
    return `${site} refused the token${msg ? ` ("${msg}")` : ''}.`;
  }
  return `${site} could not sign you in with this token${msg ? `: ${msg}` : ''}${status ? ` (HTTP ${status})` : ''}.`;
}
