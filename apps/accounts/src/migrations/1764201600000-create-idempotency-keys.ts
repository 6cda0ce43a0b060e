import { MigrationInterface, QueryRunner } from 'typeorm';
import { ACCOUNTS_SCHEMA } from '../database/schema';

const S = `"${ACCOUNTS_SCHEMA}"`;

/**
 * Idempotency keys of POST /v1/accounts. A row is inserted 'in_progress' before the sign-up and
 * completed with the response in the sign-up's own transaction, so an account never exists
 * without the response a retry must replay.
 */
export class CreateIdempotencyKeys1764201600000 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1764201600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE ${S}.idempotency_keys (
        client_scope text NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        status text NOT NULL
          CONSTRAINT idempotency_keys_status_check CHECK (status IN ('in_progress', 'completed')),
        response_status integer NULL,
        response_headers jsonb NULL,
        response_body jsonb NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT idempotency_keys_pkey PRIMARY KEY (client_scope, key),
        -- A completed key always has the response to replay.
        CONSTRAINT idempotency_keys_response_check CHECK ((status = 'completed') = (response_status IS NOT NULL))
      )`);
    // Purging expired keys, and any later sweep, look rows up by expiry.
    await runner.query(`CREATE INDEX idempotency_keys_expires_at_idx ON ${S}.idempotency_keys (expires_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS ${S}.idempotency_keys`);
  }
}
