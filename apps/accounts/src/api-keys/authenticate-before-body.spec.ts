import { IncomingMessage, Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiKeyAuthenticator } from './api-key.authenticator';
import type { StoredApiKey } from './api-key.store';
import { authenticateBeforeBody } from './authenticate-before-body';

const VALID = 'Bearer good';

describe('authenticateBeforeBody', () => {
  let server: Server;
  let port: number;
  /** Requests that reached what comes after the check (the body parser, in the service). */
  const passed: string[] = [];
  let lookups = 0;
  let failLookups = false;

  beforeAll(async () => {
    const authenticator = {
      authenticate: async (req: IncomingMessage) => {
        lookups++;
        if (failLookups) throw new Error('database down');
        return req.headers.authorization === VALID ? ({ id: 'k' } as StoredApiKey) : undefined;
      },
    } as unknown as ApiKeyAuthenticator;
    const check = authenticateBeforeBody(authenticator);
    server = createServer((req, res) =>
      check(req, res, () => {
        passed.push(req.url ?? '');
        req.resume();
        req.on('end', () => res.end('ok'));
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    passed.length = 0;
    lookups = 0;
    failLookups = false;
  });

  function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('refuses a body without a valid key with 401, unread, and closes the connection', async () => {
    const refused = await send('POST', '/v1/accounts?x=1', { 'content-type': 'application/json' }, '{"email":"a@example.com"}');
    expect(refused.status).toBe(401);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="accounts"');
    expect(refused.headers.connection).toBe('close');
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, instance: '/v1/accounts' });
    expect(passed).toEqual([]);
  });

  it('treats a chunked body of unknown length the same way', async () => {
    const refused = await send('POST', '/v1/accounts', { 'transfer-encoding': 'chunked', authorization: 'Bearer wrong' }, '{}');
    expect(refused.status).toBe(401);
  });

  it('lets a body with a valid key through to the parser', async () => {
    const accepted = await send('POST', '/v1/accounts', { authorization: VALID }, '{"email":"a@example.com"}');
    expect(accepted.status).toBe(200);
    expect(passed).toEqual(['/v1/accounts']);
  });

  it('does not look at requests without a body: public routes and the guard decide those', async () => {
    expect((await send('GET', '/health/live', {})).status).toBe(200);
    expect((await send('DELETE', '/v1/accounts/1', { 'content-length': '0' })).status).toBe(200);
    expect(lookups).toBe(0);
  });

  it('lets the request go on when the lookup fails, for the guard to answer with that failure', async () => {
    failLookups = true;
    expect((await send('POST', '/v1/accounts', { authorization: VALID }, '{}')).status).toBe(200);
  });
});
