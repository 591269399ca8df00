// Which HTTP proxy a request to a site goes through. VS Code itself routes the extension host's
// requests (its http.proxy, http.noProxy, http.proxySupport, http.proxyStrictSSL and
// http.proxyAuthorization settings, through @vscode/proxy-agent's patch of Node's http and
// https modules, which node-fetch uses); this only works out the same answer to name the proxy
// in messages. VS Code never proxies localhost and 127.0.0.1.

export interface ProxySettings {
  /** http.proxy, else the https_proxy / http_proxy environment variables. */
  proxy?: string;
  /** http.noProxy: host names or domain suffixes that are reached directly. */
  noProxy?: readonly string[];
  /** http.proxySupport: 'off' means VS Code routes nothing. */
  support?: string;
}

const DIRECT_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** The proxy a request to `site` goes through, as a URL without credentials, or undefined. */
export function proxyFor(site: string, settings: ProxySettings): string | undefined {
  if (!settings.proxy || settings.support === 'off') return undefined;
  let host: string;
  let proxy: URL;
  try {
    host = new URL(site).hostname.toLowerCase();
    proxy = new URL(settings.proxy.includes('://') ? settings.proxy : `http://${settings.proxy}`);
  } catch {
    return undefined;
  }
  if (DIRECT_HOSTS.has(host)) return undefined;
  for (const entry of settings.noProxy ?? []) {
    const rule = entry.trim().toLowerCase().replace(/^\*?\./, '');
    if (rule && (host === rule || host.endsWith(`.${rule}`))) return undefined;
  }
  return `${proxy.protocol}//${proxy.host}`;
}
