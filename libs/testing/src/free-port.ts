import { createServer } from 'node:net';

/**
 * A TCP port nobody listens on right now, chosen by the kernel, for servers that cannot be told
 * to listen on port 0 themselves (the Prometheus exporter takes 0 for "use the default").
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
