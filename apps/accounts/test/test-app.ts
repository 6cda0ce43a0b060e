import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { AccountsConfig, readAccountsConfig } from '../src/config';
import { CreateAppOptions, createAccountsApp } from '../src/bootstrap';
import { testBrokers } from '@platform/testing';
import { TestDatabase, createMigratedDataSource, createTestDatabase } from './test-database';

export interface TestApp {
  readonly app: NestExpressApplication;
  readonly baseUrl: string;
  /** A separate connection for assertions, outside the app's pool. */
  readonly db: DataSource;
  readonly config: AccountsConfig;
  close(): Promise<void>;
}

/**
 * The real service on a random port over a fresh migrated database, built by the same
 * createAccountsApp as main.ts; requests go over real HTTP with global fetch.
 */
export async function startTestApp(label: string, env: Record<string, string> = {}, options: CreateAppOptions = {}): Promise<TestApp> {
  const database: TestDatabase = await createTestDatabase(label);
  const db = await createMigratedDataSource(database);
  const config = readAccountsConfig({
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '5',
    ACCOUNTS_INBOX_ENABLED: 'false',
    KAFKA_BROKERS: testBrokers().join(','),
    ...env,
  });
  const app = await createAccountsApp(config, { logger: process.env.ACCOUNTS_TEST_VERBOSE ? undefined : ['error', 'warn'], ...options });
  if (config.inboxEnabled) await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    baseUrl: `http://127.0.0.1:${address.port}`,
    db,
    config,
    async close() {
      await app.close();
      await db.destroy();
      await database.drop();
    },
  };
}

export interface JsonResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** fetch plus JSON decoding of whatever came back (problem documents included). */
export async function request<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: { json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers };
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}
