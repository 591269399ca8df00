// The reliability tests' hold on the repository's Zulip server (its /__control/ API) and on the
// extension: sign in directly, wait for a state, read what the server saw.
import * as assert from 'node:assert/strict';
import type { ZulipTestApi } from '../../src/extension';
import type { Account } from '../../src/model/accountStore';
import type { Organization } from '../../src/model/organization';
import type { Fault } from '../../server/faults';
import type { RequestLogEntry } from '../../server/control';
import { ownUser, type TestServer } from './helpers';
import { noteShown } from './shownMessages';

export async function control<T = Record<string, unknown>>(server: TestServer, name: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.site}/__control/${name}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.equal(response.status, 200, `/__control/${name}: ${text}`);
  return JSON.parse(text) as T;
}

export function pushFault(server: TestServer, fault: Fault, count: number, path?: string): Promise<unknown> {
  return control(server, 'faults', { fault, count, path });
}

export function clearFaults(server: TestServer): Promise<unknown> {
  return control(server, 'clear-faults', {});
}

export async function requestLog(server: TestServer): Promise<RequestLogEntry[]> {
  return (await control<{ requests: RequestLogEntry[] }>(server, 'requests')).requests;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Saves the test member's account as a verified sign-in would, and waits for its members. */
export async function signInDirectly(api: ZulipTestApi, server: TestServer): Promise<{ account: Account; org: Organization }> {
  const me = await ownUser(server);
  const account = await api.accounts.save(
    { site: server.site, email: server.email, userId: me.user_id, fullName: me.full_name, realmName: 'Zulip Dev', featureLevel: 372, zulipVersion: '10.2' },
    server.apiKey,
  );
  const org = await readyOrganization(api, account.id);
  return { account, org };
}

/** The account's organization once it has loaded its members (a new one after a new sign-in). */
export function readyOrganization(api: ZulipTestApi, accountId: string, not?: Organization): Promise<Organization> {
  return waitFor('the organization to load its members', () => {
    const org = api.organizations.get(accountId);
    return org && org !== not && org.state.kind === 'ready' && org.members.size > 20 ? org : undefined;
  });
}

/** The server answering again after an outage. */
export function serverBack(server: TestServer): Promise<boolean> {
  return waitFor(
    'the server to answer again',
    () => fetch(`${server.site}/api/v1/server_settings`).then((r) => r.ok, () => false),
    30_000,
  );
}

type MessageFunction = 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage';

export interface SpiedMessage {
  kind: 'info' | 'warning' | 'error';
  message: string;
  items: string[];
  /** Presses one of its buttons now (or dismisses it); the extension then acts on the choice. */
  press(item?: string): void;
}

/**
 * Counts the notifications the extension shows (it looks vscode.window.show*Message up at each
 * call) and holds each one open until the test presses a button, as a person would later. Put it
 * on top of a FakeWindow (which answers input boxes and picks); restore it first.
 */
export class NotificationSpy {
  readonly shown: SpiedMessage[] = [];
  private readonly originals = new Map<MessageFunction, unknown>();
  private readonly pending = new Set<(value: unknown) => void>();

  constructor(private readonly window: Record<string, unknown>) {
    const spy = (kind: SpiedMessage['kind']) => (message: string, ...rest: unknown[]) => {
      const buttons = rest.filter((item) => typeof item === 'string' || (typeof item === 'object' && item !== null && 'title' in item));
      const title = (item: unknown) => (typeof item === 'string' ? item : (item as { title: string }).title);
      noteShown(kind, message, buttons.map(title));
      return new Promise((resolve) => {
        this.pending.add(resolve);
        this.shown.push({
          kind,
          message,
          items: buttons.map(title),
          press: (item) => {
            this.pending.delete(resolve);
            resolve(item === undefined ? undefined : buttons.find((b) => title(b) === item));
          },
        });
      });
    };
    for (const [name, kind] of [
      ['showInformationMessage', 'info'],
      ['showWarningMessage', 'warning'],
      ['showErrorMessage', 'error'],
    ] as const) {
      this.originals.set(name, window[name]);
      window[name] = spy(kind);
    }
  }

  of(kind: SpiedMessage['kind']): SpiedMessage[] {
    return this.shown.filter((m) => m.kind === kind);
  }

  restore(): void {
    for (const [name, original] of this.originals) this.window[name] = original;
    this.originals.clear();
    for (const resolve of this.pending) resolve(undefined);
    this.pending.clear();
  }
}
