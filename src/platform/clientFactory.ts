// Builds ZulipClients with the user's settings: timeout, an extra CA bundle, and a User-Agent
// naming this extension and VS Code.
import * as https from 'node:https';
import * as tls from 'node:tls';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { ZulipClient, type CreateClient } from '../zulip/client';
import type { Log } from './log';

export class ClientFactory {
  private agent?: { path: string; agent: https.Agent };

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
      agent: options.site.startsWith('https:') ? this.caAgent(config.get<string>('caBundlePath', '')) : undefined,
      onRetry: ({ url, attempt, waitSeconds }) => this.log.warn(`Rate limited at ${url}; retry ${attempt} in ${waitSeconds} s`),
    });
  };

  /** An agent trusting the system's CAs plus the configured bundle; TLS checks stay on. */
  private caAgent(path: string): https.Agent | undefined {
    if (!path) return undefined;
    if (this.agent?.path === path) return this.agent.agent;
    let bundle: string;
    try {
      bundle = readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(`The CA bundle in zulip.caBundlePath (${path}) could not be read: ${(error as Error).message}`, { cause: error });
    }
    const agent = new https.Agent({ ca: [...tls.rootCertificates, bundle], keepAlive: true });
    this.agent = { path, agent };
    return agent;
  }
}
