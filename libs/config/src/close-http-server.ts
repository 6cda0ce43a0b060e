import type { Server } from 'node:http';

/**
 * Stops a node:http server and resolves once it is closed. Idle keep-alive connections (a probe's,
 * a scraper's, an exporter's) are dropped at once, so they cannot hold a stop up for Node's
 * keep-alive timeout.
 */
export function closeHttpServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
