// The extension's output channel. Every line passes through redaction of the secrets this
// session has seen, so a key or token that slips into an error text never reaches the log.
import { inspect } from 'node:util';
import * as vscode from 'vscode';
import { redact } from '../zulip/errors';

export class Log implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor(name = 'Zulip') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  /** Registers a secret to scrub from every later line. */
  addSecret(secret: string | undefined): void {
    if (secret) this.secrets.add(secret);
  }

  scrub(text: string): string {
    return redact(text, this.secrets);
  }

  info(message: string): void {
    this.channel.info(this.scrub(message));
  }

  warn(message: string): void {
    this.channel.warn(this.scrub(message));
  }

  error(message: string, error?: unknown): void {
    const detail = error instanceof Error ? `: ${error.message}` : error === undefined ? '' : `: ${inspect(error)}`;
    this.channel.error(this.scrub(message + detail));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
