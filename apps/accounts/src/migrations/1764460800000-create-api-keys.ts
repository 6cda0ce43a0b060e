import { MigrationInterface, QueryRunner } from 'typeorm';
import { ACCOUNTS_SCHEMA } from '../database/schema';

const S = `"${ACCOUNTS_SCHEMA}"`;

/**
 * API keys of the clients that call the accounts API. Only a SHA-256 of the secret is kept: the
 * secret is shown once, at creation. Keys are revoked, never deleted, so an audit can still say
 * which client a past request came from.
 */
export class CreateApiKeys1764460800000 implements MigrationInterface {
  name = 'CreateApiKeys1764460800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE ${S}.api_keys (
        id text PRIMARY KEY,
        client_id text NOT NULL
          CONSTRAINT api_keys_client_id_check CHECK (client_id ~ '^[A-Za-z0-9._:-]{1,100}$'),
        secret_sha256 bytea NOT NULL CONSTRAINT api_keys_secret_sha256_check CHECK (length(secret_sha256) = 32),
        scopes text[] NOT NULL
          CONSTRAINT api_keys_scopes_check CHECK (
            cardinality(scopes) > 0 AND scopes <@ ARRAY['accounts:read', 'accounts:write', 'accounts:admin']::text[]),
        rate_limit_per_second integer NULL CONSTRAINT api_keys_rate_limit_check CHECK (rate_limit_per_second > 0),
        description text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz NULL
      )`);
    // `keys list --client x` and audits look keys up by client.
    await runner.query(`CREATE INDEX api_keys_client_id_idx ON ${S}.api_keys (client_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS ${S}.api_keys`);
  }
}
