// GET /server_settings, /realm/profile_fields.
import type { ApiContext } from '../context';
import { success, type Reply } from '../reply';

function ignoredFor(context: ApiContext): string[] {
  return context.org.realm.featureLevel >= 167 ? context.params.ignored() : [];
}

export function getServerSettings(context: ApiContext): Reply {
  const { realm } = context.org;
  const data: Record<string, unknown> = {
    authentication_methods: {
      password: true,
      dev: false,
      email: true,
      ldap: false,
      remoteuser: false,
      github: false,
      azuread: false,
      gitlab: false,
      apple: false,
      google: false,
      saml: false,
      'openid connect': false,
    },
    external_authentication_methods: [],
    zulip_feature_level: realm.featureLevel,
    zulip_version: realm.zulipVersion,
    zulip_merge_base: realm.zulipVersion,
    push_notifications_enabled: false,
    is_incompatible: false,
    email_auth_enabled: true,
    require_email_format_usernames: true,
  };
  // Asked at a host that is no organization (a multi-organization server's root domain), Zulip
  // leaves out the organization's own settings.
  if (context.realmHost) {
    data.realm_uri = context.siteUrl;
    if (realm.featureLevel >= 257) data.realm_url = context.siteUrl;
    data.realm_name = realm.name;
    data.realm_icon = `${realm.iconPath}?version=1`;
    data.realm_description = realm.description;
    data.realm_web_public_access_enabled = false;
  }
  return success(data, ignoredFor(context));
}

export function getProfileFields(context: ApiContext): Reply {
  return success({ custom_fields: context.org.profileFieldsForApi() }, ignoredFor(context));
}
