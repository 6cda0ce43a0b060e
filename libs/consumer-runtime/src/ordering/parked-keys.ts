import type { Pool, PoolClient } from 'pg';

/**
 * Records that left the source partition for the retry topics while later records with the same
 * key were still to come. While a key has a row here, later records for it are parked behind it
 * instead of overtaking it. In PostgreSQL rather than memory so a restart keeps the order.
 * A row is identified by its origin: the source partition and offset of the record.
 */
export function parkedKeysTableSql(schema: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS "${schema}".parked_keys (
      consumer_group text NOT NULL,
      source_topic text NOT NULL,
      message_key text NOT NULL,
      source_partition integer NOT NULL,
      source_offset bigint NOT NULL,
      event_id text,
      parked_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer_group, source_topic, source_partition, source_offset)
    )`,
    `CREATE INDEX IF NOT EXISTS parked_keys_by_key ON "${schema}".parked_keys (consumer_group, source_topic, message_key, source_offset)`,
  ];
}

export interface ParkedRecord {
  readonly groupId: string;
  readonly sourceTopic: string;
  readonly key: string;
  readonly partition: number;
  readonly offset: string;
  readonly eventId?: string;
}

export interface ParkedHead {
  readonly partition: number;
  readonly offset: string;
}

export class ParkedKeys {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  /** The oldest record of the key still in the retry topics, if any. */
  async head(groupId: string, sourceTopic: string, key: string): Promise<ParkedHead | undefined> {
    const { rows } = await this.pool.query<{ source_partition: number; source_offset: string }>(
      `SELECT source_partition, source_offset FROM "${this.schema}".parked_keys
       WHERE consumer_group = $1 AND source_topic = $2 AND message_key = $3
       ORDER BY source_offset, source_partition LIMIT 1`,
      [groupId, sourceTopic, key],
    );
    return rows[0] ? { partition: rows[0].source_partition, offset: String(rows[0].source_offset) } : undefined;
  }

  /** Which of `keys` have a record in the retry topics: one query for a whole run of records. */
  async parkedAmong(groupId: string, sourceTopic: string, keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const { rows } = await this.pool.query<{ message_key: string }>(
      `SELECT DISTINCT message_key FROM "${this.schema}".parked_keys
       WHERE consumer_group = $1 AND source_topic = $2 AND message_key = ANY($3::text[])`,
      [groupId, sourceTopic, keys],
    );
    return new Set(rows.map((r) => r.message_key));
  }

  /** Idempotent: a redelivered record parks under the same row. */
  async park(record: ParkedRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO "${this.schema}".parked_keys (consumer_group, source_topic, message_key, source_partition, source_offset, event_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [record.groupId, record.sourceTopic, record.key, record.partition, record.offset, record.eventId ?? null],
    );
  }

  async release(record: Omit<ParkedRecord, 'key' | 'eventId'>, client?: PoolClient): Promise<void> {
    await (client ?? this.pool).query(
      `DELETE FROM "${this.schema}".parked_keys
       WHERE consumer_group = $1 AND source_topic = $2 AND source_partition = $3 AND source_offset = $4`,
      [record.groupId, record.sourceTopic, record.partition, record.offset],
    );
  }

  /** Rows older than `offset` for a key whose follower is being released anyway (see the park middleware). */
  async releaseOlderThan(groupId: string, sourceTopic: string, key: string, offset: string): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM "${this.schema}".parked_keys
       WHERE consumer_group = $1 AND source_topic = $2 AND message_key = $3 AND source_offset < $4`,
      [groupId, sourceTopic, key, offset],
    );
    return result.rowCount ?? 0;
  }
}
