// The repository's Zulip server in a child process of the benchmark, so that its own work
// (building 100,000 members, serializing 46 MB of JSON) runs on the other core and its heap
// stays out of the benchmark's heap measurements. Started by bench/run.ts through fork():
//   parent → { type: 'requests' } | { type: 'reset-requests' } | { type: 'close' }
//          | { type: 'burst', count } (that many realm_user updates) | { type: 'drop-queues' } (a restart that forgets event queues)
//          | { type: 'presence-burst', count } (that many members report presence: presence events)
// argv: members [groups [statusShare]] (generated user groups and the share of members with a status).
//   child  → { type: 'ready', url, email, apiKey } | { type: 'requests', requests } | { type: 'ok' }
import { startZulipServer } from '../server/app';

interface Message {
  type: 'requests' | 'reset-requests' | 'close' | 'burst' | 'drop-queues' | 'presence-burst';
  count?: number;
}

const TIME_ZONES = ['Europe/Oslo', 'Asia/Tokyo'];

async function main(): Promise<void> {
  const members = Number(process.argv[2] ?? 0);
  const groups = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
  const statusShare = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
  const server = await startZulipServer({ port: 0, generatedMembers: members, generatedGroups: groups, generatedStatusShare: statusShare, rateLimit: false });
  let presenceRound = 0;
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
      case 'presence-burst': {
        // Members spread over the list turn active or idle in turn: one presence event each.
        const ids = [...server.org.users.values()].filter((user) => !user.is_bot && user.is_active).map((user) => user.user_id);
        const count = message.count ?? 0;
        const step = Math.max(1, Math.floor(ids.length / Math.max(1, count)));
        presenceRound++;
        for (let i = 0; i < count; i++) server.org.setPresence(ids[(i * step + presenceRound) % ids.length], (i + presenceRound) % 2 ? 'active' : 'idle');
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
