// The repository's Zulip server in a child process of the benchmark, so that its own work
// (building 100,000 members, serializing 46 MB of JSON) runs on the other core and its heap
// stays out of the benchmark's heap measurements. Started by bench/run.ts through fork():
//   parent → { type: 'requests' } | { type: 'reset-requests' } | { type: 'close' }
//          | { type: 'burst', count } (that many realm_user updates) | { type: 'drop-queues' } (a restart that forgets event queues)
//   child  → { type: 'ready', url, email, apiKey } | { type: 'requests', requests } | { type: 'ok' }
import { startZulipServer } from '../server/app';

interface Message {
  type: 'requests' | 'reset-requests' | 'close' | 'burst' | 'drop-queues';
  count?: number;
}

const TIME_ZONES = ['Europe/Oslo', 'Asia/Tokyo'];

async function main(): Promise<void> {
  const members = Number(process.argv[2] ?? 0);
  const server = await startZulipServer({ port: 0, generatedMembers: members, rateLimit: false });
  const send = (message: unknown): void => void process.send?.(message);
  process.on('message', (message: Message) => {
    switch (message.type) {
      case 'requests':
        send({ type: 'requests', requests: server.requests.map(({ method, path, query }) => ({ method, path, query })) });
        break;
      case 'reset-requests':
        server.requests.length = 0;
        send({ type: 'ok' });
        break;
      case 'burst': {
        // Updates spread over the members, alternating time zones so each one changes something.
        const ids = [...server.org.users.keys()];
        const count = message.count ?? 0;
        const step = Math.max(1, Math.floor(ids.length / Math.max(1, count)));
        for (let i = 0; i < count; i++) server.org.updateUser(ids[(i * step) % ids.length], { timezone: TIME_ZONES[i % TIME_ZONES.length] });
        send({ type: 'ok' });
        break;
      }
      case 'drop-queues':
        void server
          .outageStart({ dropQueues: true })
          .then(() => server.outageEnd())
          .then(() => send({ type: 'ok' }));
        break;
      case 'close':
        void server.close().finally(() => process.exit(0));
        break;
    }
  });
  // The parent went away: do not linger.
  process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
  send({ type: 'ready', url: server.url, email: server.demo.email, apiKey: server.demo.apiKey });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
