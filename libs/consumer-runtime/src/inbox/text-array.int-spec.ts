import { Client } from 'pg';
import { createFreshDatabase } from '@platform/testing';
import { textArray } from './inbox-batch';

describe('textArray over PostgreSQL', () => {
  let client: Client;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await createFreshDatabase('text_array_it');
    drop = fresh.drop;
    client = new Client({ connectionString: fresh.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await drop?.();
  });

  it.each([
    ['plain ids, split by the server', ['0b8f0c1e-6f5e-4c57-9d0a-0d3c4b0f5a11', 'account.created.v1', 'x']],
    ['nothing at all', []],
    ['a comma inside a value', ['a,b', 'c']],
    ['an empty value', ['', 'c']],
    ["quotes, backslashes and what a reprocess header may hold", ["it's", 'back\\slash', 'e1#reprocess:run 7', 'ünï ✓']],
  ])('comes back as the same values: %s', async (_name, values) => {
    const { rows } = await client.query<{ a: string[] }>(`SELECT ${textArray(values)} AS a`);
    expect(rows[0].a).toEqual(values);
  });
});
