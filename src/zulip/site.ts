// Organization URLs as people type them, made into what the API needs.
import * as l10n from '@vscode/l10n';

/**
 * Normalizes a site the way Zulip's official clients do: no scheme means https:// (http:// for
 * localhost), a trailing slash and a pasted `/api/v1` suffix are dropped, and the host is
 * lowercased. Throws a plain Error whose message says what is wrong.
 */
export function normalizeSite(input: string): string {
  let site = input.trim();
  if (!site) throw new Error(l10n.t('Enter the organization URL, for example https://chat.example.com.'));
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(site)) {
    const host = site.split(/[/:?#]/, 1)[0].toLowerCase();
    site = (isLoopbackHost(host) ? 'http://' : 'https://') + site;
  }
  let url: URL;
  try {
    url = new URL(site);
  } catch {
    throw new Error(l10n.t('"{0}" is not a valid URL. Enter the organization URL, for example https://chat.example.com.', input.trim()));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(l10n.t('The organization URL must start with https:// (got {0}//).', url.protocol));
  }
  if (url.username || url.password) {
    throw new Error(l10n.t('The organization URL must not contain a user name or password.'));
  }
  if (url.search || url.hash) {
    throw new Error(l10n.t('The organization URL must not contain ? or #: enter just the address, for example https://chat.example.com.'));
  }
  let path = url.pathname.replace(/\/+$/, '');
  path = path.replace(/\/api(\/v1)?$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/** Validation for an input box: undefined when fine, else what is wrong. */
export function validateSite(input: string): string | undefined {
  try {
    normalizeSite(input);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export function isPlainHttp(site: string): boolean {
  return site.startsWith('http://');
}

/** A loopback host name (localhost, 127.0.0.0/8, ::1), where plain http never leaves the machine. */
function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]' || hostname.endsWith('.localhost');
}

/** Whether a site is on a loopback host. */
export function isLoopback(site: string): boolean {
  return isLoopbackHost(new URL(site).hostname);
}

/** The host part of a site, for labels ("chat.example.com"); the text itself if it is no URL. */
export function siteHost(site: string): string {
  try {
    return new URL(site).host;
  } catch {
    return site;
  }
}
