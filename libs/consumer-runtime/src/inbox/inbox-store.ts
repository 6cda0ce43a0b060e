import type { Pool, PoolClient } from 'pg';
import { BatchRequest, InboxBatch } from './inbox-batch';
import { PRUNE_BATCH_ROWS, PRUNE_MAX_BATCHES } from './inbox-retention';

/**
 * Idempotent consumption: an event id is recorded in the same transaction that wraps the handler,
 * so a redelivered event finds its row and is skipped, and a failed attempt leaves no row behind.
 * The group is part of the key so two consumers may share one schema without hiding each other's work.
 */
export function inboxTableSql(schema: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS "${schema}".processed_events (
      consumer_group text NOT NULL,
      event_id text NOT NULL,
      event_type text NOT NULL,
      source_topic text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer_group, event_id)
    )`,
    // Rows arrive in processed_at order, which is what a BRIN index needs: the pruner finds old
    // rows without a scan of the table, for a few pages of index instead of a B-tree per insert.
    `CREATE INDEX IF NOT EXISTS processed_events_processed_at_brin ON "${schema}".processed_events USING brin (processed_at)`,
  ];
}

export interface InboxEntry {
  readonly groupId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly sourceTopic: string;
}

/** Work to run inside the inbox transaction after the handler, e.g. releasing a parked key. */
export type InTransaction = (client: PoolClient) => Promise<void>;

export type InboxResult = 'processed' | 'duplicate';

export class InboxStore {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  /** Claims many event ids in one transaction for the fast lane; see InboxBatch. */
  openBatch(request: BatchRequest): Promise<InboxBatch> {
    return InboxBatch.open(this.pool, this.schema, request);
  }

  /**
   * BEGIN; claim the event id; run the handler; COMMIT. A concurrent delivery of the same event
   * blocks on the uncommitted row and then sees it, so the handler never runs twice at once.
   */
  async runOnce(entry: InboxEntry, handler: () => Promise<void>, alsoInTransaction: readonly InTransaction[] = []): Promise<InboxResult> {
    const client = await this.pool.connect();
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const claimed = await client.query(
        `INSERT INTO "${this.schema}".processed_events (consumer_group, event_id, event_type, source_topic)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [entry.groupId, entry.eventId, entry.eventType, entry.sourceTopic],
      );
      const duplicate = claimed.rowCount === 0;
      if (!duplicate) await handler();
      for (const work of alsoInTransaction) await work(client);
      await client.query('COMMIT');
      return duplicate ? 'duplicate' : 'processed';
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        // A connection that cannot roll back is not handed back to the pool for reuse.
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  /**
   * Forgets this group's event ids processed longer than `retentionMs` ago, a batch per statement
   * so no statement holds many row locks, up to PRUNE_MAX_BATCHES per call. Other groups sharing
   * the schema prune their own rows. Returns how many rows went.
   */
  async prune(groupId: string, retentionMs: number, batchRows = PRUNE_BATCH_ROWS): Promise<number> {
    let removed = 0;
    for (let batch = 0; batch < PRUNE_MAX_BATCHES; batch += 1) {
      const result = await this.pool.query(
        `DELETE FROM "${this.schema}".processed_events WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM "${this.schema}".processed_events
           WHERE consumer_group = $1 AND processed_at < now() - $2 * interval '1 millisecond'
           LIMIT $3))`,
        [groupId, retentionMs, batchRows],
      );
      const count = result.rowCount ?? 0;
      removed += count;
      if (count < batchRows) break;
    }
    return removed;
  }
}
