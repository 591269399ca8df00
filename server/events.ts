// Event queues (POST /register, GET /events, DELETE /events): each queue receives the
// organization's events shaped for its owner, long-polls with heartbeats, and is garbage
// collected after a period without polls, as Zulip's Tornado queues are.
import { randomUUID } from 'node:crypto';
import type { ClientCapabilities, Org, OrgEvent } from './org';

export type QueuedEvent = Record<string, unknown> & { id: number; type: string };

export interface QueueOptions {
  userId: number;
  /** null: every event type. */
  eventTypes: ReadonlySet<string> | null;
  clientGravatar: boolean;
  capabilities: ClientCapabilities;
}

export class EventQueue {
  readonly id = randomUUID();
  readonly events: QueuedEvent[] = [];
  lastEventId = -1;
  lastTouched = Date.now();
  /** Wakes the poll currently waiting on this queue, if any. */
  wake: (() => void) | undefined;

  constructor(readonly options: QueueOptions) {}

  push(event: Record<string, unknown> & { type: string }): void {
    this.lastEventId += 1;
    this.events.push({ ...event, id: this.lastEventId });
    this.wake?.();
  }

  /** Drops events the client acknowledged (ids up to lastEventId). */
  acknowledge(lastEventId: number): void {
    let drop = 0;
    while (drop < this.events.length && this.events[drop].id <= lastEventId) drop++;
    if (drop) this.events.splice(0, drop);
  }
}

export type PollResult = { kind: 'events'; events: QueuedEvent[] } | { kind: 'gone' };

export interface EventHubOptions {
  longPollTimeoutSeconds: number;
  /** Idle time after which a queue is garbage-collected (Zulip: 10 minutes). */
  queueTimeoutSeconds: number;
}

export class EventHub {
  private readonly queues = new Map<string, EventQueue>();
  private readonly unsubscribe: () => void;
  private readonly gcTimer: NodeJS.Timeout;
  private readonly pollTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly org: Org,
    private readonly options: EventHubOptions,
  ) {
    this.unsubscribe = org.onEvent((event) => this.dispatch(event));
    this.gcTimer = setInterval(() => this.collectIdle(), Math.min(options.queueTimeoutSeconds * 1000, 60_000) / 2);
    this.gcTimer.unref();
  }

  register(options: QueueOptions): EventQueue {
    const queue = new EventQueue(options);
    this.queues.set(queue.id, queue);
    return queue;
  }

  get(queueId: string): EventQueue | undefined {
    return this.queues.get(queueId);
  }

  delete(queueId: string): boolean {
    const queue = this.queues.get(queueId);
    if (!queue) return false;
    this.queues.delete(queueId);
    queue.wake?.();
    return true;
  }

  /** Forgets every queue, as a server restart or garbage collection would; waiting polls end. */
  expireAll(): number {
    const count = this.queues.size;
    for (const id of [...this.queues.keys()]) this.delete(id);
    return count;
  }

  get size(): number {
    return this.queues.size;
  }

  /**
   * Answers at once when events are pending (or dontBlock); otherwise waits for one, and after the
   * long-poll timeout sends a heartbeat. `signal` ends the wait when the client goes away.
   */
  async poll(queue: EventQueue, lastEventId: number | undefined, dontBlock: boolean, signal: AbortSignal): Promise<PollResult> {
    queue.lastTouched = Date.now();
    if (lastEventId !== undefined) queue.acknowledge(lastEventId);
    if (queue.events.length || dontBlock) return { kind: 'events', events: [...queue.events] };
    // A newer poll replaces an older one on the same queue, which then answers with nothing new.
    queue.wake?.();
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.pollTimers.delete(timer);
        signal.removeEventListener('abort', done);
        if (queue.wake === done) queue.wake = undefined;
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        if (this.queues.has(queue.id)) queue.push({ type: 'heartbeat' });
      }, this.options.longPollTimeoutSeconds * 1000);
      this.pollTimers.add(timer);
      queue.wake = done;
      signal.addEventListener('abort', done);
    });
    queue.lastTouched = Date.now();
    if (!this.queues.has(queue.id)) return { kind: 'gone' };
    return { kind: 'events', events: [...queue.events] };
  }

  close(): void {
    clearInterval(this.gcTimer);
    for (const timer of this.pollTimers) clearTimeout(timer);
    this.pollTimers.clear();
    this.unsubscribe();
    this.expireAll();
  }

  private dispatch(event: OrgEvent): void {
    for (const queue of this.queues.values()) {
      const { eventTypes, userId, clientGravatar, capabilities } = queue.options;
      if (eventTypes && !eventTypes.has(event.type)) continue;
      const viewer = this.org.getUser(userId);
      if (!viewer) continue;
      const shaped = event.build({ viewer, clientGravatar, capabilities });
      if (shaped) queue.push(shaped as Record<string, unknown> & { type: string });
    }
  }

  private collectIdle(): void {
    const cutoff = Date.now() - this.options.queueTimeoutSeconds * 1000;
    for (const queue of [...this.queues.values()]) {
      if (queue.lastTouched < cutoff && !queue.wake) this.queues.delete(queue.id);
    }
  }
}
