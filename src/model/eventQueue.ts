// Zulip's event queue: register once, then long-poll GET /events. A garbage-collected queue
// (BAD_EVENT_QUEUE_ID) is registered again and the caller refetches; transient errors back off with
// jitter; a 401 or another answer that will not change stops the loop (errors.ts recoveryOf). Plain Node: tested against the repository's server.
import type { RegisterOptions, ZulipClient } from '../zulip/client';
import { reportCallbackError } from '../common/emitter';
import { recoveryOf, ZulipError } from '../zulip/errors';
import type { RegisterResponse, ZulipEvent } from '../zulip/types';

export interface EventQueueHandlers {
  /** Called after every (re)registration, before events of that queue are delivered. */
  onRegistered(registration: RegisterResponse, isReregistration: boolean): Promise<void>;
  onEvents(events: ZulipEvent[]): void;
  /** A failure the loop will retry after `retryInMs`; or a final one (a 401, a 4xx) when retryInMs is undefined. */
  onError(error: unknown, retryInMs: number | undefined): void;
  /** The first successful poll after failures. */
  onRecovered?(): void;
}

export interface EventQueueOptions {
  eventTypes: string[];
  /** What else each registration asks for (fetch_event_types, capabilities), read at every registration. */
  registerOptions?: () => Omit<RegisterOptions, 'eventTypes'>;
  /** Backoff bounds; jitter picks between half and all of the current step. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
}

export function backoffDelay(failures: number, min: number, max: number, random: () => number): number {
  const step = Math.min(max, min * 2 ** Math.max(0, failures - 1));
  return Math.round(step * (0.5 + random() / 2));
}

export class EventQueue {
  private readonly abort = new AbortController();
  private running?: Promise<void>;
  private queueId?: string;

  constructor(
    private readonly client: ZulipClient,
    private readonly handlers: EventQueueHandlers,
    private readonly options: EventQueueOptions,
  ) {}

  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  start(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  /** Stops polling and deletes the server's queue (best effort). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.abort.abort();
    const queueId = this.queueId;
    this.queueId = undefined;
    await this.running?.catch(() => undefined);
    if (queueId) await this.client.deleteQueue(queueId).catch(() => undefined);
  }

  private async loop(): Promise<void> {
    const { minBackoffMs = 1000, maxBackoffMs = 60_000, random = Math.random } = this.options;
    let lastEventId = -1;
    let longPoll = 90;
    let registeredOnce = false;
    let failures = 0;
    while (!this.stopped) {
      try {
        if (!this.queueId) {
          const registration = await this.client.registerQueue({ ...this.options.registerOptions?.(), eventTypes: this.options.eventTypes });
          if (this.stopped) {
            await this.client.deleteQueue(registration.queue_id).catch(() => undefined);
            return;
          }
          // The queue counts only once its data is loaded: a failed load registers again.
          try {
            await this.handlers.onRegistered(registration, registeredOnce);
          } catch (error) {
            await this.client.deleteQueue(registration.queue_id).catch(() => undefined);
            throw error;
          }
          this.queueId = registration.queue_id;
          lastEventId = registration.last_event_id;
          longPoll = registration.event_queue_longpoll_timeout_seconds ?? 90;
          registeredOnce = true;
        }
        const events = await this.client.getEvents(this.queueId, lastEventId, { longPollSeconds: longPoll, signal: this.abort.signal });
        if (this.stopped) return;
        if (failures > 0) this.handlers.onRecovered?.();
        failures = 0;
        for (const event of events) lastEventId = Math.max(lastEventId, event.id);
        const meaningful = events.filter((e) => e.type !== 'heartbeat');
        // The queue has moved past these events: a handler's failure is reported, never taken
        // for the network's (which would back off and poll the same ids again).
        if (meaningful.length) {
          try {
            this.handlers.onEvents(meaningful);
          } catch (error) {
            reportCallbackError(error);
          }
        }
      } catch (error) {
        if (this.stopped) return;
        if (error instanceof ZulipError && error.code === 'BAD_EVENT_QUEUE_ID') {
          // The server dropped our queue: start over at once; onRegistered refetches.
          this.queueId = undefined;
          continue;
        }
        // A refused key, or an answer that will not change: say so once and stop polling.
        if (recoveryOf(error) !== 'retry') {
          this.handlers.onError(error, undefined);
          this.abort.abort();
          return;
        }
        failures++;
        const delay = backoffDelay(failures, minBackoffMs, maxBackoffMs, random);
        this.handlers.onError(error, delay);
        await sleep(delay, this.abort.signal);
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
