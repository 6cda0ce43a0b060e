/**
 * Floor for bench/signups.ts: the sign-up statement behind node:http and a pg pool, nothing else
 * (no framework, key, validation, rate limit, telemetry or error mapping). PORT, DATABASE_URL,
 * DATABASE_POOL_SIZE; GET /health/ready answers 200 once listening.
 */
import { createServer } from 'node:http';
import { Pool } from 'pg';
import type { CreateAccountCommand } from '../accounts/create-account.service';
import { preparedQuery } from '../database/prepared-statement';
import { signup } from './signup-statement';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 16) });

const server = createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(req.url === '/health/ready' ? 200 : 404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const { statement, response, location } = signup(JSON.parse(Buffer.concat(chunks).toString('utf8')) as CreateAccountCommand);
    pool.query(preparedQuery(statement)).then(
      () => {
        res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', location, etag: '"1"', 'cache-control': 'no-store' });
        res.end(JSON.stringify(response));
      },
      (error: Error) => res.writeHead(500).end(error.message),
    );
  });
});
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => server.close(() => void pool.end()));
