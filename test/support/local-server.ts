/** A plain HTTP server on a free loopback port, for tests that need exact replies (shapes, sizes, echoes). */
import { createServer, type RequestListener, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

/** A listening server, its base URL, and how to stop it (open connections included). */
export interface LocalServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Start a server with this handler on 127.0.0.1 and a free port. */
export async function listenLocal(handler: RequestListener): Promise<LocalServer> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
