// Every credential a run of the server handed out or was shown: the members' API keys, the JWTs
// it signed, and the keys and tokens clients presented (wrong ones too). A test scans what a
// client wrote to disk for each of them: none may be there.
import type { Org } from './org';

export class SecretLedger {
  private readonly extra = new Set<string>();

  constructor(private readonly org: Org) {}

  /** A JWT the server signed, or a key or token a client sent. */
  add(secret: string | undefined | null): void {
    // Shorter strings are not credentials and would match by chance.
    if (secret && secret.length >= 16) this.extra.add(secret);
  }

  /** Every member's key (current and added since), then the tokens and presented credentials. */
  all(): string[] {
    const keys = new Set<string>();
    for (const user of this.org.users.values()) keys.add(user.api_key);
    for (const bot of this.org.crossRealmBots) keys.add(bot.api_key);
    for (const secret of this.extra) keys.add(secret);
    return [...keys];
  }
}
