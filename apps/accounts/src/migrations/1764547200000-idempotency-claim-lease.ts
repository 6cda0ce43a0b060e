import { MigrationInterface, QueryRunner } from 'typeorm';
import { ACCOUNTS_SCHEMA } from '../database/schema';

const S = `"${ACCOUNTS_SCHEMA}"`;

/**
 * A claim on an Idempotency-Key now has an owner token and a time. A request that died with the
 * key in progress (process killed mid-sign-up) no longer blocks the client's retries until the
 * key expires a day later: after a lease the retry takes the claim over, and the token makes
 * sure the dead request, should it be alive after all, cannot also complete it.
 */
export class IdempotencyClaimLease1764547200000 implements MigrationInterface {
  name = 'IdempotencyClaimLease1764547200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.idempotency_keys ADD COLUMN claim_token uuid NULL`);
    await runner.query(`ALTER TABLE ${S}.idempotency_keys ADD COLUMN claimed_at timestamptz NOT NULL DEFAULT now()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.idempotency_keys DROP COLUMN claimed_at`);
    await runner.query(`ALTER TABLE ${S}.idempotency_keys DROP COLUMN claim_token`);
  }
}
