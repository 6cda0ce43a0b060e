import { Client } from 'pg';
import type { E2eStack } from './stack-file';

/** A connection to one service's database of this run, e.g. 'tenants' or 'welcome_email'. */
export async function connectTo(stack: E2eStack, database: string): Promise<Client> {
  const name = stack.databases[database];
  if (!name) throw new Error(`no database "${database}" in this run: ${Object.keys(stack.databases).join(', ')}`);
  const url = new URL(stack.pgServerUrl);
  url.pathname = `/${name}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}
