import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTableSql, dropOutboxTableSql } from '@platform/outbox';
import { ACCOUNTS_SCHEMA } from '../database/schema';

const S = `"${ACCOUNTS_SCHEMA}"`;

/**
 * The accounts table, the outbox the relay publishes from, and the record of applied inbound
 * events. Constraint and index names are spelled out because the service matches on them
 * (a 23505 on accounts_email_normalized_key is "email already registered").
 */
export class CreateAccounts1764028800000 implements MigrationInterface {
  name = 'CreateAccounts1764028800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE SCHEMA IF NOT EXISTS ${S}`);
    await runner.query(`
      CREATE TABLE ${S}.accounts (
        id uuid PRIMARY KEY,
        email text NOT NULL,
        email_normalized text NOT NULL,
        display_name text NOT NULL,
        locale text NOT NULL,
        plan text NOT NULL,
        external_id text NULL,
        status text NOT NULL
          CONSTRAINT accounts_status_check CHECK (status IN ('pending', 'active', 'suspended', 'closed')),
        signup_ip text NULL,
        signup_user_agent text NULL,
        version integer NOT NULL CONSTRAINT accounts_version_check CHECK (version >= 1),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        closed_at timestamptz NULL,
        suspension_reasons jsonb NULL,
        abuse_verdict text NULL
          CONSTRAINT accounts_abuse_verdict_check CHECK (abuse_verdict IN ('allow', 'review', 'block')),
        abuse_score double precision NULL,
        provisioning_status text NULL
          CONSTRAINT accounts_provisioning_status_check CHECK (provisioning_status IN ('provisioned', 'failed')),
        workspace_schema text NULL,
        -- closed_at is set exactly when the account is closed, so "closed since" is never ambiguous.
        CONSTRAINT accounts_closed_at_check CHECK ((status = 'closed') = (closed_at IS NOT NULL))
      )`);
    // Uniqueness is the index's job, not a check-then-insert: two concurrent sign-ups with the
    // same address cannot both pass, whatever the timing.
    await runner.query(`CREATE UNIQUE INDEX accounts_email_normalized_key ON ${S}.accounts (email_normalized)`);
    // NULLs are distinct in a unique index, so any number of accounts may have no external id.
    await runner.query(`CREATE UNIQUE INDEX accounts_external_id_key ON ${S}.accounts (external_id)`);
    // Keyset pagination of GET /v1/accounts, with and without a status filter.
    await runner.query(`CREATE INDEX accounts_created_at_id_idx ON ${S}.accounts (created_at, id)`);
    await runner.query(`CREATE INDEX accounts_status_created_at_id_idx ON ${S}.accounts (status, created_at, id)`);

    for (const sql of createOutboxTableSql(ACCOUNTS_SCHEMA)) await runner.query(sql);

    // One row per inbound event applied (or deliberately ignored): inserting it first in the
    // applying transaction makes a redelivered event a no-op, and concurrent duplicates wait
    // on the primary key instead of both applying.
    await runner.query(`
      CREATE TABLE ${S}.applied_events (
        event_id text PRIMARY KEY,
        event_type text NOT NULL,
        account_id uuid NOT NULL,
        outcome text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS ${S}.applied_events`);
    for (const sql of dropOutboxTableSql(ACCOUNTS_SCHEMA)) await runner.query(sql);
    await runner.query(`DROP TABLE IF EXISTS ${S}.accounts`);
  }
}
