import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeHttpServer } from './close-http-server';

describe('closeHttpServer', () => {
  it('closes at once although a client keeps its connection alive, and refuses new ones after', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    // fetch keeps the connection open for reuse: a plain close() would wait for it to time out.
    expect(await (await fetch(url)).text()).toBe('ok');
    const started = Date.now();
    await closeHttpServer(server);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server.listening).toBe(false);
    await expect(fetch(url)).rejects.toThrow();
  });
});
