// A minimal event emitter with VS Code's shape (`event(listener) → disposable`), so the model
// layer runs in plain Node and its events still plug into VS Code's APIs.

export interface Disposable {
  /** A property, not a method: `{ dispose: event(listener).dispose }` hands it on unbound. */
  readonly dispose: () => void;
}

export type Event<T> = (listener: (value: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private readonly listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
