import { MigrationInterface, QueryRunner } from 'typeorm';
import { OUTBOX_NOTIFY_CHANNEL, dropOutboxNotifyTriggerSql } from '@platform/outbox';
import { ACCOUNTS_SCHEMA } from '../database/schema';

const S = `"${ACCOUNTS_SCHEMA}"`;

/**
 * The relay is now woken after commit by the service (OutboxNotifier), not by a trigger inside
 * every writing transaction: PostgreSQL serialises the commits of notifying transactions.
 */
export class NotifyOutboxAfterCommit1764633600000 implements MigrationInterface {
  name = 'NotifyOutboxAfterCommit1764633600000';

  async up(runner: QueryRunner): Promise<void> {
    for (const sql of dropOutboxNotifyTriggerSql(ACCOUNTS_SCHEMA)) await runner.query(sql);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE FUNCTION ${S}.outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('${OUTBOX_NOTIFY_CHANNEL}', ''); RETURN NULL; END $$`);
    await runner.query(`CREATE TRIGGER outbox_notify AFTER INSERT ON ${S}.outbox FOR EACH STATEMENT EXECUTE FUNCTION ${S}.outbox_notify()`);
  }
}
