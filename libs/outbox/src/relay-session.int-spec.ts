import { createFreshDatabase } from '@platform/testing';
import { RelaySession } from './relay-session';

describe('RelaySession over PostgreSQL', () => {
  let url: string;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ url, drop } = await createFreshDatabase('relay_session_it'));
  });
  afterAll(async () => drop?.());

  it("does not wait for the WAL flush of its deletes, whatever the server's default", async () => {
    const session = new RelaySession(url, () => undefined, () => undefined);
    await session.connect();
    try {
      const { rows } = await session.query<{ synchronous_commit: string; application_name: string }>('SELECT current_setting($1) AS synchronous_commit, current_setting($2) AS application_name', ['synchronous_commit', 'application_name']);
      expect(rows[0]).toEqual({ synchronous_commit: 'off', application_name: 'outbox-relay' });
    } finally {
      await session.close();
    }
  });
});
