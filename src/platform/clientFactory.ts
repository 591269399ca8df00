// Builds ZulipClients with the user's settings: timeout, an extra CA bundle, a User-Agent naming
// this extension and VS Code, and the proxy (VS Code routes the requests; the client names it).
import * as https from 'node:https';
import * as tls from 'node:tls';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { ZulipClient, type CreateClient } from '../zulip/client';
import { proxyFor } from '../zulip/proxy';
import type { Log } from './log';

export class ClientFactory {
  /** By bundle path: one agent (and connection pool) per bundle. */
  private readonly agents = new Map<string, https.Agent>();

  constructor(
    private readonly extensionVersion: string,
    private readonly log: Log,
  ) {}

  create: CreateClient = (options) => {
    const config = vscode.workspace.getConfiguration('zulip');
    this.log.addSecret(options.apiKey);
    return new ZulipClient({
      ...options,
      timeoutMs: Math.max(1, config.get<number>('requestTimeoutSeconds', 30)) * 1000,
      userAgent: `ZulipForVSCode/${this.extensionVersion} (VS Code ${vscode.version}; ${process.platform})`,
      agent: options.site.startsWith('https:') ? this.agentFor(options.site, config) : undefined,
      proxy: () => this.proxyFor(options.site),
      onRetry: ({ url, attempt, waitSeconds }) => this.log.warn(`Rate limited at ${url}; retry ${attempt} in ${waitSeconds} s`),
    });
  };

  /** The proxy VS Code sends a site's requests through now, read at each request (settings change). */
  private proxyFor(site: string): { url: string; authorization?: string } | undefined {
    const http = vscode.workspace.getConfiguration('http');
    const url = proxyFor(site, {
      proxy: http.get<string>('proxy') || process.env.https_proxy || process.env.HTTPS_PROXY || process.env.http_proxy || process.env.HTTP_PROXY,
      noProxy: http.get<string[]>('noProxy', []),
      support: http.get<string>('proxySupport', 'override'),
    });
    if (!url) return undefined;
    const authorization = http.get<string | null>('proxyAuthorization') ?? undefined;
    if (authorization) this.log.addSecret(authorization);
    return { url, authorization };
  }

  /**
   * The agent for a site: trusting the system's CAs plus the site's own bundle (zulip.caBundles,
   * from an imported zuliprc, asked first) or else the one for every site (zulip.caBundlePath).
   * TLS checks stay on.
   */
  private agentFor(site: string, config: vscode.WorkspaceConfiguration): https.Agent | undefined {
    const origin = new URL(site).origin;
    const own = Object.entries(config.get<Record<string, string>>('caBundles', {})).find(([entry]) => originOf(entry) === origin);
    const [setting, path] = own ? [`zulip.caBundles["${own[0]}"]`, own[1]] : ['zulip.caBundlePath', config.get<string>('caBundlePath', '')];
    if (!path) return undefined;
    const known = this.agents.get(path);
    if (known) return known;
    let bundle: string;
    try {
      bundle = readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(vscode.l10n.t('The CA bundle in {0} ({1}) could not be read: {2}', setting, path, (error as Error).message), { cause: error });
    }
    const agent = new https.Agent({ ca: [...tls.rootCertificates, bundle], keepAlive: true });
    this.agents.set(path, agent);
    return agent;
  }
}

function originOf(site: string): string | undefined {
  try {
    return new URL(site).origin;
  } catch {
    return undefined;
  }
}
