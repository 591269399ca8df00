// The reliability tests' hold on the repository's Zulip server (its /__control/ API) and on the
// extension: sign in directly, wait for a state, read what the server saw.
import type { Fault } from '../../server/faults';
import type { RequestLogEntry } from '../../server/control';
import { callControl } from '../../server/controlClient';
import { waitFor, type TestServer } from './helpers';
import { noteShown } from './shownMessages';

export function control<T = Record<string, unknown>>(server: TestServer, name: string, body?: unknown): Promise<T> {
  return callControl<T>(server.site, name, body);
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
