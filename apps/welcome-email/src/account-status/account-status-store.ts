import type { Pool } from 'pg';
import { RetriableError } from '@platform/contracts';

/** Stable code of the guard's own failure; the record is retried, never mailed unchecked. */
export const ACCOUNT_STATUS_UNAVAILABLE = 'ACCOUNT_STATUS_UNAVAILABLE';

/** What the guard knows about an account: only the statuses that decide whether it may be mailed. */
export const AccountStatus = {
  Suspended: 'suspended',
  Closed: 'closed',
  /** Reactivated after a suspension; kept so that an older suspension replayed later cannot win. */
  Active: 'active',
} as const;
export type AccountStatus = (typeof AccountStatus)[keyof typeof AccountStatus];

/** One lifecycle event, reduced to what the guard stores. */
export interface AccountStatusChange {
  readonly accountId: string;
  readonly status: AccountStatus;
  /** The event's own time (suspendedAt, closedAt, reactivatedAt): decides which change is newer. */
  readonly changedAt: string;
  readonly eventId: string;
}

/** The statuses that stop a welcome mail. */
export type MailBlockingStatus = typeof AccountStatus.Suspended | typeof AccountStatus.Closed;

/** What the welcome handler asks before every send. */
export interface AccountStatusLookup {
  mailBlockedBy(accountId: string): Promise<MailBlockingStatus | undefined>;
}

const TABLE = 'account_status';

/**
 * welcome-email's derived record of suspended and closed accounts, in its own database. Account
 * state lives in accounts; this copy exists only as a guard against mailing an account that was
 * suspended or closed before its welcome went out. It holds one small row per account that
 * changed status, and rows older than the retention are pruned (see prune()).
 */
export class AccountStatusStore implements AccountStatusLookup {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    this.table = `"${schema}".${TABLE}`;
  }

  /** Creates the table if missing, serialised because replicas start together. */
  async ensureTable(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`welcome-email:${this.table}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
        account_id uuid PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('suspended', 'closed', 'active')),
        changed_at timestamptz NOT NULL,
        event_id text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
      await client.query(`CREATE INDEX IF NOT EXISTS ${TABLE}_recorded_at ON ${this.table} (recorded_at)`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Applies a change unless a newer one is stored, so redelivery and replays are harmless and the
   * feed may see an account's events again in any order. Closed is final.
   */
  async record(change: AccountStatusChange): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} AS current (account_id, status, changed_at, event_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (account_id) DO UPDATE
         SET status = EXCLUDED.status, changed_at = EXCLUDED.changed_at, event_id = EXCLUDED.event_id, recorded_at = now()
         WHERE current.status <> 'closed' AND current.changed_at <= EXCLUDED.changed_at`,
      [change.accountId, change.status, change.changedAt, change.eventId],
    );
  }

  async mailBlockedBy(accountId: string): Promise<MailBlockingStatus | undefined> {
    let status: AccountStatus | undefined;
    try {
      const { rows } = await this.pool.query<{ status: AccountStatus }>(`SELECT status FROM ${this.table} WHERE account_id = $1`, [accountId]);
      status = rows[0]?.status;
    } catch (error) {
      throw new RetriableError(`account status guard unavailable: ${(error as Error).message}`, ACCOUNT_STATUS_UNAVAILABLE, error);
    }
    return status === AccountStatus.Suspended || status === AccountStatus.Closed ? status : undefined;
  }

  /** Deletes rows recorded longer ago than `retentionMs`; returns how many. */
  async prune(retentionMs: number): Promise<number> {
    const result = await this.pool.query(`DELETE FROM ${this.table} WHERE recorded_at < now() - $1 * interval '1 millisecond'`, [retentionMs]);
    return result.rowCount ?? 0;
  }
}
