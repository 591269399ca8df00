// Another host a redirect may point to: a plain HTTP server, addressed as localhost (a different
// host name and port than the Zulip server's 127.0.0.1), that records every request it gets and
// whether it carried credentials. Plain Node: used in unit tests and inside VS Code.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ForeignHost {
  /** http://localhost:PORT */
  url: string;
  /** Every request: its path and Authorization header, if any. */
  seen: Array<{ path: string; authorization?: string }>;
  /** Proves the host is reachable at `url` (so "no request arrived" means something); leaves `seen` as it was. */
  probe(): Promise<boolean>;
  close(): Promise<void>;
}

export async function startForeignHost(): Promise<ForeignHost> {
  const seen: ForeignHost['seen'] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ result: 'success', msg: '', members: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  return {
    url,
    seen,
    probe: async () => {
      const before = seen.length;
      const ok = await fetch(`${url}/probe`).then((r) => r.ok, () => false);
      const arrived = seen.length > before;
      seen.splice(before);
      return ok && arrived;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
