// The live Organization of every signed-in account: created when an account appears, replaced
// when it signs in again, disposed (and its cache deleted) when it signs out. A 401 marks the
// account as needing sign-in; its key stays until sign-out or a successful sign-in replaces it.
import type { CreateClient } from '../zulip/client';
import type { Account, AccountStore } from './accountStore';
import { Emitter } from '../common/emitter';
import { Organization, type OrganizationOptions } from './organization';

export class Organizations {
  private readonly orgs = new Map<string, Organization>();
  private readonly changed = new Emitter<void>();
  /** An organization was added, removed or replaced. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: { dispose(): void };
  /**
   * Per account, the last open or close asked for: each waits for the one before, so two
   * overlapping opens (a sign-in while the window starts) never leave an organization behind
   * that nobody disposes, still polling.
   */
  private readonly turns = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: AccountStore,
    private readonly createClient: CreateClient,
    private readonly options: OrganizationOptions = {},
  ) {
    this.subscription = store.onDidChange(({ added, removed, changed }) => {
      if (removed) void this.close(removed, true);
      if (added) void this.open(added);
      // A new sign-in to an existing account (needsSignIn cleared): start over with the new key.
      if (changed && !changed.needsSignIn && this.orgs.get(changed.id)?.state.kind === 'needsSignIn') void this.open(changed);
      if (changed && !this.orgs.has(changed.id)) void this.open(changed);
    });
  }

  /** Opens every signed-in account; resolves when each has loaded or failed once. */
  async startAll(): Promise<void> {
    await Promise.all(this.store.ordered().map((account) => this.open(account)));
  }

  /** Reports the signed-in user as active to every organization (POST /users/me/presence). */
  async reportActive(): Promise<void> {
    await Promise.all(this.list().map((org) => org.client.reportPresence('active')));
  }

  list(): Organization[] {
    return this.store
      .ordered()
      .map((a) => this.orgs.get(a.id))
      .filter((o): o is Organization => o !== undefined);
  }

  get(accountId: string): Organization | undefined {
    return this.orgs.get(accountId);
  }

  default(): Organization | undefined {
    return this.list()[0];
  }

  /** Runs `step` for an account after every open or close asked for before it. */
  private inTurn<T>(accountId: string, step: () => Promise<T>): Promise<T> {
    const result = (this.turns.get(accountId) ?? Promise.resolve()).then(step);
    const settled = result.catch(() => undefined);
    this.turns.set(accountId, settled);
    void settled.then(() => {
      if (this.turns.get(accountId) === settled) this.turns.delete(accountId);
    });
    return result;
  }

  /** Opens (or reopens) an account's organization; resolves when its first load succeeded or failed. */
  private async open(account: Account): Promise<void> {
    const org = await this.inTurn(account.id, () => this.replace(account));
    await org?.start();
  }

  private async replace(account: Account): Promise<Organization | undefined> {
    const apiKey = await this.store.getApiKey(account.id);
    // Signed out meanwhile: nothing to open.
    if (!this.store.get(account.id)) return undefined;
    if (!apiKey) {
      this.options.log?.('warn', `No API key is stored for ${account.email} at ${account.site}; sign in again.`);
      await this.store.update(account.id, { needsSignIn: true });
      return undefined;
    }
    await this.closeNow(account, false);
    const current = this.store.get(account.id) ?? account;
    const org = new Organization(current, this.createClient({ site: current.site, email: current.email, apiKey }), this.options);
    this.orgs.set(account.id, org);
    org.onDidChangeState((state) => {
      if (state.kind === 'needsSignIn') void this.store.update(account.id, { needsSignIn: true });
    });
    this.changed.fire();
    return org;
  }

  private close(account: Account, deleteCache: boolean): Promise<void> {
    return this.inTurn(account.id, () => this.closeNow(account, deleteCache));
  }

  private async closeNow(account: Account, deleteCache: boolean): Promise<void> {
    const org = this.orgs.get(account.id);
    if (org) {
      this.orgs.delete(account.id);
      this.changed.fire();
      await org.dispose();
    }
    // Sign-out deletes the cached members even of an organization that never opened.
    if (deleteCache) await (org ?? new Organization(account, this.createClient({ site: account.site }), this.options)).deleteCache();
  }

  async dispose(): Promise<void> {
    this.subscription.dispose();
    await Promise.all([...this.orgs.values()].map((o) => o.dispose()));
    this.orgs.clear();
    this.changed.dispose();
  }
}
