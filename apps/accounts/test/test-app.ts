import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { AccountsConfig, readAccountsConfig } from '../src/config';
import { CreateAppOptions, createAccountsApp } from '../src/bootstrap';
import { testBrokers } from '@platform/testing';
import { TestDatabase, createMigratedDataSource, createTestDatabase } from './test-database';
import { ApiKeyScope } from '../src/api-keys/api-key-scope';
import { ApiKeyStore, NewApiKey } from '../src/api-keys/api-key.store';

export interface TestApp {
  readonly app: NestExpressApplication;
  readonly baseUrl: string;
  /** A separate connection for assertions, outside the app's pool. */
  readonly db: DataSource;
  readonly config: AccountsConfig;
  /** An admin key with a limit no test reaches; `request` sends it unless told otherwise. */
  readonly apiKey: string;
  /** Issues another key, for tests of scopes, revocation and rate limits. */
  issueKey(key: Partial<NewApiKey> & Pick<NewApiKey, 'scopes'>): Promise<{ id: string; key: string }>;
  close(): Promise<void>;
}

/** Default Authorization per running test app, so specs that are not about auth need not repeat it. */
const defaultKeys = new Map<string, string>();

/**
 * The real service on a random port over a fresh migrated database, built by the same
 * createAccountsApp as main.ts; requests go over real HTTP with global fetch.
 */
export async function startTestApp(
  label: string,
  env: Record<string, string> = {},
  { database: given, ...options }: CreateAppOptions & { database?: TestDatabase } = {},
): Promise<TestApp> {
  // A caller may bring its own database, e.g. on a server it started with a replica of its own.
  const database: TestDatabase = given ?? (await createTestDatabase(label));
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
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const keys = new ApiKeyStore(db);
  const issueKey = async (key: Partial<NewApiKey> & Pick<NewApiKey, 'scopes'>) => {
    const created = await keys.create({ clientId: `test-${label}`.slice(0, 100).replace(/[^A-Za-z0-9._:-]/g, '-'), ...key });
    return { id: created.record.id, key: created.key };
  };
  const admin = await issueKey({ scopes: [ApiKeyScope.Admin], rateLimitPerSecond: 1_000_000 });
  defaultKeys.set(baseUrl, admin.key);
  return {
    app,
    baseUrl,
    db,
    config,
    apiKey: admin.key,
    issueKey,
    async close() {
      defaultKeys.delete(baseUrl);
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

/**
 * fetch plus JSON decoding of whatever came back (problem documents included). Sends the test
 * app's admin key unless the caller gives its own Authorization or asks for `anonymous`.
 */
export async function request<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: { json?: unknown; body?: string; headers?: Record<string, string>; anonymous?: boolean } = {},
): Promise<JsonResponse<T>> {
  const defaultKey = options.anonymous ? undefined : defaultKeys.get(baseUrl);
  const headers: Record<string, string> = {
    ...(defaultKey ? { authorization: `Bearer ${defaultKey}` } : {}),
    ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}),
    ...options.headers,
  };
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}
