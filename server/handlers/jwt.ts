// POST /jwt/fetch_api_key (feature level 160): trades a JSON web token signed with the
// organization's key for an API key. Checks and errors in the order of zerver/views/auth.py.
import { jwtVerify } from 'jose';
import type { ApiContext } from '../context';
import { ApiError, badRequest, success, type Reply } from '../reply';

export async function jwtFetchApiKey(context: ApiContext): Promise<Reply> {
  const { org, params } = context;
  if (!context.realmHost) throw new ApiError(404, 'NONEXISTENT_SUBDOMAIN', 'Invalid subdomain');
  if (!org.realm.jwtEnabled) throw badRequest('JWT authentication is not enabled for this organization');
  const includeProfile = params.bool('include_profile', false);
  const token = params.string('token') ?? '';
  if (!token) throw badRequest('No JSON web token passed in request');
  let payload: Record<string, unknown>;
  try {
    // Only the configured algorithm; expired, malformed and "none" tokens all fail here.
    ({ payload } = await jwtVerify(token, context.jwtKey, { algorithms: ['HS256'] }));
  } catch {
    throw badRequest('Bad JSON web token');
  }
  const email = payload.email;
  if (email === undefined || email === null) throw badRequest('No email specified in JSON web token claims');
  if (org.realm.deactivated) throw new ApiError(401, 'REALM_DEACTIVATED', 'This organization has been deactivated');
  const user = typeof email === 'string' ? org.userByDeliveryEmail(email) : undefined;
  if (!user) throw new ApiError(401, 'AUTHENTICATION_FAILED', 'Your username or password is incorrect');
  if (!user.is_active) throw new ApiError(401, 'USER_DEACTIVATED', 'Account is deactivated');
  const data: Record<string, unknown> = { api_key: user.api_key, email: user.delivery_email };
  if (includeProfile) {
    // As Zulip: the avatar URL always spelled out, no custom profile data.
    data.user = org.views.object(user, user, { clientGravatar: false, includeProfileData: false });
  }
  const ignored = org.realm.featureLevel >= 167 ? params.ignored() : [];
  return success(data, ignored);
}
