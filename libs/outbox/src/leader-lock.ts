import { createHash } from 'node:crypto';
import type { SqlQueryable } from './outbox-claimer';

/**
 * One relay publishes at a time, elected by a PostgreSQL session-level advisory lock.
 *
 * Why a lock and not hash-partitioned claiming by several relays: per-account order then needs
 * no coordination at all (one reader, id order, one producer with max one request in flight),
 * a crash needs no rebalancing (the lock dies with the session, a standby takes it within its
 * retry interval), and the lock lives in the same database as the outbox, so there is nothing
 * else to run. Throughput does not need more than one: a single relay drains well above the
 * platform's target rate (see docs/outbox-relay.md for the bench).
 */

/** A stable 64-bit key per outbox schema, so relays of different schemas never block each other. */
export function leaderLockKey(schema: string): string {
  return createHash('sha256').update(`outbox-relay:${schema}`).digest().readBigInt64BE(0).toString();
}

/** Never waits: a standby asks again on its own schedule instead of parking a backend on the lock. */
export async function tryAcquireLeaderLock(db: SqlQueryable, key: string): Promise<boolean> {
  const { rows } = await db.query<{ acquired: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS acquired', [key]);
  return rows[0].acquired;
}

export async function releaseLeaderLock(db: SqlQueryable, key: string): Promise<boolean> {
  const { rows } = await db.query<{ released: boolean }>('SELECT pg_advisory_unlock($1::bigint) AS released', [key]);
  return rows[0].released;
}
