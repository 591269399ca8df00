// The repository's Zulip server in a child process (bench/server.ts), so its work and heap stay
// out of the benchmarks' measurements, with the few controls the benchmarks need.
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

interface RequestEntry {
  method: string;
  path: string;
  query: Record<string, string>;
}

export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly email: string,
    readonly apiKey: string,
  ) {}

  /** `people`: generated user groups and the share of members with a status (the people benchmark). */
  static start(members: number, people?: { groups: number; statusShare: number }): Promise<ServerProcess> {
    const args = [String(members), ...(people ? [String(people.groups), String(people.statusShare)] : [])];
    const child = fork(path.join(__dirname, 'server.ts'), args, {
      execArgv: ['--import', 'tsx', '--no-warnings'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`The Zulip server exited (${code}) before it was ready`)));
      child.once('message', (m: { type: string; url: string; email: string; apiKey: string }) => {
        child.removeAllListeners('exit');
        resolve(new ServerProcess(child, m.url, m.email, m.apiKey));
      });
    });
  }

  private ask<T>(type: string, answer: string): Promise<T> {
    return new Promise((resolve) => {
      const listener = (m: { type: string }) => {
        if (m.type !== answer) return;
        this.child.off('message', listener);
        resolve(m as T);
      };
      this.child.on('message', listener);
      this.child.send({ type });
    });
  }

  async requests(): Promise<RequestEntry[]> {
    return (await this.ask<{ requests: RequestEntry[] }>('requests', 'requests')).requests;
  }

  async resetRequests(): Promise<void> {
    await this.ask('reset-requests', 'ok');
  }

  /** That many realm_user updates on the server, spread over the members (events for the client). */
  async burst(count: number): Promise<void> {
    await this.askWith({ type: 'burst', count }, 'ok');
  }

  /** That many members report presence on the server (a presence event each for the client). */
  async presenceBurst(count: number): Promise<void> {
    await this.askWith({ type: 'presence-burst', count }, 'ok');
  }

  /** A short outage that forgets the event queues: the client must register again and refetch. */
  async dropQueues(): Promise<void> {
    await this.ask('drop-queues', 'ok');
  }

  private askWith(message: { type: string; count?: number }, answer: string): Promise<unknown> {
    return new Promise((resolve) => {
      const listener = (m: { type: string }) => {
        if (m.type !== answer) return;
        this.child.off('message', listener);
        resolve(m);
      };
      this.child.on('message', listener);
      this.child.send(message);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.send({ type: 'close' });
    });
  }
}

