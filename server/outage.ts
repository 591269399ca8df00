// The server going away and coming back on the same address, as a crash or restart looks to a
// client: open connections (a waiting long-poll) are cut, new ones are refused, then it listens
// again. Event queues are kept by default (Zulip saves them across a restart) or dropped.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { EventHub } from './events';

export class Outage {
  private timer?: NodeJS.Timeout;
  private down = false;

  constructor(
    private readonly server: Server,
    private readonly events: EventHub,
    private readonly address: () => { port: number; host: string },
  ) {}

  get isDown(): boolean {
    return this.down;
  }

  /** Stops listening and cuts every connection; `dropQueues` forgets the event queues too. */
  async start(options: { dropQueues?: boolean } = {}): Promise<void> {
    if (this.down) return;
    this.down = true;
    if (options.dropQueues) this.events.expireAll();
    const closed = once(this.server, 'close');
    this.server.close();
    this.server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port. */
  async end(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.down) return;
    const { port, host } = this.address();
    this.server.listen(port, host);
    await once(this.server, 'listening');
    this.down = false;
  }

  /** Down now, back after `seconds` (for the control API, which is down meanwhile too). */
  async startFor(seconds: number, options: { dropQueues?: boolean } = {}): Promise<void> {
    await this.start(options);
    this.timer = setTimeout(() => void this.end(), seconds * 1000);
  }

  /** For the server's own close(): no comeback. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
