// A minimal event emitter with VS Code's shape (`event(listener) → disposable`), so the model
// layer runs in plain Node and its events still plug into VS Code's APIs. A listener that throws
// is reported and the others still hear the event: one broken view must not stop the rest, nor
// travel back into whoever fired (the event queue would take it for a network failure).

export interface Disposable {
  /** A property, not a method: `{ dispose: event(listener).dispose }` hands it on unbound. */
  readonly dispose: () => void;
}

export type Event<T> = (listener: (value: T) => void) => Disposable;

/** Where a throwing listener is reported; the extension points it at its log. */
let reportListenerError: (error: unknown) => void = (error) => console.error('Zulip: an event listener failed:', error);

export function onListenerError(report: (error: unknown) => void): void {
  reportListenerError = report;
}

/** Reports an error of code called back like a listener (an event handler), the same way. */
export function reportCallbackError(error: unknown): void {
  reportListenerError(error);
}

export class Emitter<T> implements Disposable {
  private readonly listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        reportListenerError(error);
      }
    }
  }

  dispose = (): void => {
    this.listeners.clear();
  };
}
