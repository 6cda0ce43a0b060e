import { MigrationInterface, QueryRunner } from 'typeorm';
import { ACCOUNTS_SCHEMA } from '../database/schema';

const S = `"${ACCOUNTS_SCHEMA}"`;

/**
 * Every sign-up with an Idempotency-Key purges its client's expired keys in the same statement
 * (`client_scope = $1 AND expires_at <= now()`). With only the primary key and an index on
 * expires_at, the planner either walked all of the client's keys (before the table had
 * statistics: 2 ms a sign-up at 30,000 keys, growing with every sign-up; the overload run's
 * throughput sagged by a third) or every client's expired keys. Both columns in one index make
 * the purge a range scan of exactly the rows it deletes. The index on expires_at alone served
 * only that purge, and costs every sign-up an index write: it goes.
 *
 * Built CONCURRENTLY, outside a transaction: migrations run while the previous release serves,
 * and a plain CREATE INDEX would hold every keyed sign-up for the whole build. A build that fails
 * leaves an INVALID index behind; `down` (or a DROP INDEX) clears it before the rerun.
 */
export class IdempotencyScopeExpiryIndex1764720000000 implements MigrationInterface {
  name = 'IdempotencyScopeExpiryIndex1764720000000';
  transaction = false;

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS idempotency_keys_scope_expires_at_idx ON ${S}.idempotency_keys (client_scope, expires_at)`);
    await runner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${S}.idempotency_keys_expires_at_idx`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS idempotency_keys_expires_at_idx ON ${S}.idempotency_keys (expires_at)`);
    await runner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${S}.idempotency_keys_scope_expires_at_idx`);
  }
}
