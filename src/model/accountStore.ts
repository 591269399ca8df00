// Signed-in accounts. Site, email and what we learned at sign-in live in VS Code's globalState;
// the API key lives only in SecretStorage. Structural interfaces keep this file free of `vscode`,
// so it is tested in plain Node with in-memory stores.
//
// Every window of a VS Code shares both stores, but only SecretStorage tells a window that
// another one changed it (as VS Code's own GitHub sign-in relies on). So each change also writes
// an index of the accounts (no key in it) to SecretStorage; the other windows read it on
// `onDidChange` and announce what came, went or changed, as if it had happened in them.
import { randomUUID } from 'node:crypto';
import { Emitter, type Disposable } from '../common/emitter';

/** The part of vscode.Memento used here. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** The part of vscode.SecretStorage used here. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  /** Fires for changes made by this window and by every other window of the same VS Code. */
  onDidChange?: (listener: (event: { key: string }) => void) => Disposable;
}

export interface Account {
  /** Stable id: site and email. Holds no secret. */
  id: string;
  site: string;
  /** Real email, the Basic auth user name. */
  email: string;
  userId: number;
  fullName: string;
  realmName: string;
  realmIcon?: string;
  featureLevel: number;
  zulipVersion: string;
  /** The server refused the key (401): the account stays, and asks to be signed in again. */
  needsSignIn?: boolean;
}

export interface AccountsChange {
  added?: Account;
  removed?: Account;
  changed?: Account;
}

const ACCOUNTS_KEY = 'zulip.accounts';
const DEFAULT_KEY = 'zulip.defaultAccount';
/** In SecretStorage: the accounts and the default, as the window that changed them last wrote them. */
const INDEX_KEY = 'zulip.accountsIndex';

interface AccountsIndex {
  /** The window that wrote it (so a window ignores its own writes). */
  writer: string;
  accounts: Account[];
  defaultId?: string;
}

export function accountId(site: string, email: string): string {
  return `${site}|${email.toLowerCase()}`;
}

function secretKey(id: string): string {
  return `zulip.apiKey:${id}`;
}

export class AccountStore {
  private readonly changed = new Emitter<AccountsChange>();
  readonly onDidChange = this.changed.event;
  private readonly windowId = randomUUID();
  /** The accounts and default as this window last announced them: what another window's index is compared with. */
  private known: { accounts: Account[]; defaultId?: string };
  private readonly subscription?: Disposable;
  /** Reading another window's index, one at a time. */
  private adopting: Promise<void> = Promise.resolve();

  constructor(
    private readonly state: KeyValueStore,
    private readonly secrets: SecretStore,
  ) {
    this.known = this.snapshot();
    this.subscription = secrets.onDidChange?.(({ key }) => {
      if (key === INDEX_KEY) this.adopting = this.adopting.then(() => this.adopt()).catch(() => undefined);
    });
  }

  private snapshot(): { accounts: Account[]; defaultId?: string } {
    return { accounts: this.list(), defaultId: this.state.get<string>(DEFAULT_KEY) };
  }

  /**
   * Tells the other windows (after a change made here to account `own`); nobody would hear without
   * change events. globalState is shared, so the snapshot may already hold another window's change
   * whose index has not been read here yet: reading it later would find nothing new, so accounts
   * that came or went meanwhile (other than `own`, which the caller announces) are announced now.
   */
  private async publish(own: string): Promise<void> {
    const before = this.known.accounts;
    this.known = this.snapshot();
    const after = this.known.accounts;
    const gone = before.filter((a) => a.id !== own && !after.some((b) => b.id === a.id));
    const came = after.filter((a) => a.id !== own && !before.some((b) => b.id === a.id));
    if (this.secrets.onDidChange) {
      const index: AccountsIndex = { writer: this.windowId, ...this.known };
      await this.secrets.store(INDEX_KEY, JSON.stringify(index));
    }
    for (const removed of gone) this.changed.fire({ removed });
    for (const added of came) this.changed.fire({ added });
  }

  /** Another window changed the accounts: take its view, and announce the difference here. */
  private async adopt(): Promise<void> {
    const text = await this.secrets.get(INDEX_KEY);
    if (!text) return;
    let index: AccountsIndex;
    try {
      index = JSON.parse(text) as AccountsIndex;
    } catch {
      return;
    }
    if (index.writer === this.windowId || !Array.isArray(index.accounts)) return;
    // A window that had not yet heard of a sign-out elsewhere may publish a list that still holds
    // that account: its key is gone, and an account is never listed without its key, so it stays out.
    const keyed = await Promise.all(index.accounts.map(async (a) => (await this.secrets.get(secretKey(a.id))) !== undefined));
    index = { ...index, accounts: index.accounts.filter((_, i) => keyed[i]) };
    const before = new Map(this.known.accounts.map((a) => [a.id, a]));
    const after = new Map(index.accounts.map((a) => [a.id, a]));
    // globalState is shared too, and may already hold the same: write only what differs.
    if (JSON.stringify(this.state.get(ACCOUNTS_KEY) ?? []) !== JSON.stringify(index.accounts)) await this.state.update(ACCOUNTS_KEY, index.accounts);
    if (this.state.get(DEFAULT_KEY) !== index.defaultId) await this.state.update(DEFAULT_KEY, index.defaultId);
    const defaultChanged = this.known.defaultId !== index.defaultId;
    this.known = { accounts: index.accounts, defaultId: index.defaultId };
    for (const [id, account] of before) if (!after.has(id)) this.changed.fire({ removed: account });
    for (const [id, account] of after) {
      const previous = before.get(id);
      if (!previous) this.changed.fire({ added: account });
      else if (JSON.stringify(previous) !== JSON.stringify(account) || (defaultChanged && id === index.defaultId)) this.changed.fire({ changed: account });
    }
  }

  list(): Account[] {
    return [...(this.state.get<Account[]>(ACCOUNTS_KEY) ?? [])];
  }

  get(id: string): Account | undefined {
    return this.list().find((a) => a.id === id);
  }

  /** The default organization's account: the one chosen, else the first signed in. */
  defaultAccount(): Account | undefined {
    const accounts = this.list();
    const chosen = this.state.get<string>(DEFAULT_KEY);
    return accounts.find((a) => a.id === chosen) ?? accounts[0];
  }

  /** Accounts with the default one first. */
  ordered(): Account[] {
    const first = this.defaultAccount();
    return first ? [first, ...this.list().filter((a) => a.id !== first.id)] : [];
  }

  async setDefault(id: string): Promise<void> {
    if (!this.get(id)) throw new Error(`No signed-in account ${id}.`);
    await this.state.update(DEFAULT_KEY, id);
    await this.publish(id);
    this.changed.fire({ changed: this.get(id) });
  }

  getApiKey(id: string): PromiseLike<string | undefined> {
    return this.secrets.get(secretKey(id));
  }

  /**
   * Saves a verified sign-in: the key first, so an account is never listed without its key. A
   * sign-in to an account that already exists replaces its key and clears `needsSignIn`.
   */
  async save(account: Omit<Account, 'id' | 'needsSignIn'>, apiKey: string): Promise<Account> {
    const saved: Account = { ...account, id: accountId(account.site, account.email) };
    await this.secrets.store(secretKey(saved.id), apiKey);
    const accounts = this.list();
    const index = accounts.findIndex((a) => a.id === saved.id);
    if (index >= 0) accounts[index] = saved;
    else accounts.push(saved);
    await this.state.update(ACCOUNTS_KEY, accounts);
    await this.publish(saved.id);
    this.changed.fire(index >= 0 ? { changed: saved } : { added: saved });
    return saved;
  }

  /** Updates what we know about an account (never its key). */
  async update(id: string, change: Partial<Omit<Account, 'id' | 'site' | 'email'>>): Promise<Account | undefined> {
    const accounts = this.list();
    const index = accounts.findIndex((a) => a.id === id);
    if (index < 0) return undefined;
    const updated = { ...accounts[index], ...change };
    if (JSON.stringify(updated) === JSON.stringify(accounts[index])) return updated;
    accounts[index] = updated;
    await this.state.update(ACCOUNTS_KEY, accounts);
    await this.publish(id);
    this.changed.fire({ changed: updated });
    return updated;
  }

  /** Sign-out: the only way a key is deleted. */
  async remove(id: string): Promise<Account | undefined> {
    const accounts = this.list();
    const removed = accounts.find((a) => a.id === id);
    if (!removed) return undefined;
    // The key first: from then on no window lists the account again (adopt keeps keyless accounts out).
    await this.secrets.delete(secretKey(id));
    await this.state.update(ACCOUNTS_KEY, accounts.filter((a) => a.id !== id));
    if (this.state.get<string>(DEFAULT_KEY) === id) await this.state.update(DEFAULT_KEY, undefined);
    await this.publish(id);
    this.changed.fire({ removed });
    return removed;
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }
}
