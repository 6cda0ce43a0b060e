import 'reflect-metadata';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '@platform/config';
import { loadAccountsConfig } from '../config';
import { createAccountsDataSource } from '../database/data-source';
import { hasPendingMigrations } from '../database/migrations-runner';
import { ALL_SCOPES, ApiKeyScope, isApiKeyScope } from './api-key-scope';
import { ApiKeyRecord, ApiKeyStore } from './api-key.store';

/**
 * `nx run accounts:api-keys -- create|list|revoke`: the only way keys come to exist. It talks
 * to the accounts database directly (DATABASE_URL), so issuing the first key needs no key.
 * Exit codes: 0 done, 1 failure, 2 usage or configuration, 3 no such key.
 */
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,100}$/;

function parseScopes(raw: string): ApiKeyScope[] {
  const scopes = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = scopes.filter((s) => !isApiKeyScope(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(`scopes must be a comma-separated list of ${ALL_SCOPES.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`);
  }
  return [...new Set(scopes as ApiKeyScope[])];
}

function parseClientId(raw: string): string {
  if (!CLIENT_ID.test(raw)) throw new InvalidArgumentError('must be 1-100 characters of letters, digits and . _ : -');
  return raw;
}

function parseRate(raw: string): number {
  const rate = Number(raw);
  if (!Number.isInteger(rate) || rate < 1) throw new InvalidArgumentError('must be a positive integer (requests per second)');
  return rate;
}

async function withStore<T>(work: (store: ApiKeyStore) => Promise<T>): Promise<T> {
  const config = loadAccountsConfig();
  const dataSource = createAccountsDataSource(config.database);
  await dataSource.initialize();
  try {
    if (await hasPendingMigrations(dataSource)) throw new ConfigError(['the accounts schema is behind the code: run `npx nx run accounts:migrate` first']);
    return await work(new ApiKeyStore(dataSource));
  } finally {
    await dataSource.destroy();
  }
}

function describe(record: ApiKeyRecord): string {
  const rate = record.rateLimitPerSecond === null ? 'default rate' : `${record.rateLimitPerSecond}/s`;
  const state = record.revokedAt ? `revoked ${record.revokedAt.toISOString()}` : 'active';
  return `${record.id}  ${record.clientId}  ${record.scopes.join(',')}  ${rate}  ${state}${record.description ? `  "${record.description}"` : ''}`;
}

const program = new Command('api-keys').description('issue, list and revoke API keys of the accounts service').option('--json', 'machine-readable output');
// Set before the subcommands are added: they copy the setting when created. commander's own
// usage errors (missing option, bad argument) then exit 2, like every other usage error.
program.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
const json = (): boolean => Boolean(program.opts().json);
const print = (data: unknown, human: string): void => void process.stdout.write(json() ? `${JSON.stringify(data)}\n` : `${human}\n`);

program
  .command('create')
  .description('issue a key; the key is printed once and cannot be shown again')
  .requiredOption('--client <id>', 'the calling system, e.g. signup-web', parseClientId)
  .requiredOption('--scopes <list>', `comma-separated: ${ALL_SCOPES.join(', ')}`, parseScopes)
  .addOption(new Option('--rate-limit <perSecond>', 'requests per second (default: the service setting)').argParser(parseRate))
  .option('--description <text>', 'who holds it and why')
  .action(async (options: { client: string; scopes: ApiKeyScope[]; rateLimit?: number; description?: string }) => {
    const { record, key } = await withStore((store) =>
      store.create({ clientId: options.client, scopes: options.scopes, rateLimitPerSecond: options.rateLimit, description: options.description }),
    );
    print({ ...record, key }, `${describe(record)}\n\nkey (shown once, store it now):\n${key}`);
  });

program
  .command('list')
  .description('every key, revoked ones included; never the secrets')
  .option('--client <id>', 'only this client', parseClientId)
  .action(async (options: { client?: string }) => {
    const records = await withStore((store) => store.list(options.client));
    print(records, records.length === 0 ? 'no keys' : records.map(describe).join('\n'));
  });

program
  .command('revoke')
  .description('stop a key from working, at once; revoking twice is harmless')
  .argument('<id>', 'the key id (the part after ak_, before the second _)')
  .action(async (id: string) => {
    const record = await withStore((store) => store.revoke(id));
    if (!record) {
      process.stderr.write(`error: no key with id ${id}\n`);
      process.exitCode = 3;
      return;
    }
    print(record, describe(record));
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
});
