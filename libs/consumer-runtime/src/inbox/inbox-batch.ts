import type { Pool, PoolClient, QueryResult } from 'pg';

export interface BatchEntry {
  readonly eventId: string;
  readonly eventType: string;
}

export interface BatchRequest {
  readonly groupId: string;
  readonly sourceTopic: string;
  readonly entries: readonly BatchEntry[];
  /** Keys to look up in parked_keys in the same round trip (ordering mode `park`); none to skip. */
  readonly keysToCheck: readonly string[];
}

/**
 * The inbox for a run of records at once: one round trip opens the transaction, finds which of
 * the run's keys are parked and claims every event id; the handlers run; one COMMIT records them.
 * Claims of records that did not get to run (a handler failed, a parked key cut the run, the
 * run's time was up, shutdown) are withdrawn before the commit, so those records are handled
 * later rather than skipped. Claims are row locks until the commit, so a concurrent delivery of
 * one of these events waits and then finds it done, exactly as with a single record.
 */
export class InboxBatch {
  private finished = false;

  private constructor(
    private readonly client: PoolClient,
    private readonly schema: string,
    private readonly groupId: string,
    private readonly holds: readonly boolean[],
    private readonly ids: readonly string[],
    /** Which of the keys asked about have a record in the retry topics. */
    readonly parkedKeys: ReadonlySet<string>,
  ) {}

  static async open(pool: Pool, schema: string, request: BatchRequest): Promise<InboxBatch> {
    const { groupId, sourceTopic, entries, keysToCheck } = request;
    const ids = entries.map((e) => e.eventId);
    const client = await pool.connect();
    try {
      // One simple-protocol query, hence literals (escaped by pg) rather than parameters: BEGIN
      // and the statements after it travel together instead of costing a round trip each. Ids
      // are sorted so two runs claiming overlapping ids lock them in one order and cannot deadlock.
      const parkedSql = keysToCheck.length === 0
        ? ''
        : `SELECT DISTINCT message_key FROM "${schema}".parked_keys
           WHERE consumer_group = ${quoteLiteral(groupId)} AND source_topic = ${quoteLiteral(sourceTopic)}
             AND message_key = ANY(${textArray(keysToCheck)});`;
      const results = (await client.query(
        `BEGIN;
         ${parkedSql}
         INSERT INTO "${schema}".processed_events (consumer_group, event_id, event_type, source_topic)
         SELECT ${quoteLiteral(groupId)}, c.event_id, c.event_type, ${quoteLiteral(sourceTopic)}
         FROM unnest(${textArray(ids)}, ${textArray(entries.map((e) => e.eventType))}) AS c(event_id, event_type)
         ORDER BY c.event_id
         ON CONFLICT DO NOTHING
         RETURNING event_id;`,
      )) as unknown as QueryResult[];
      const parked = keysToCheck.length === 0 ? [] : results[1].rows.map((r: { message_key: string }) => r.message_key);
      const won = new Set(results[results.length - 1].rows.map((r: { event_id: string }) => r.event_id));
      // The first record of an id holds its claim; a later copy in the same run is a duplicate.
      const holds = ids.map((id) => won.delete(id));
      return new InboxBatch(client, schema, groupId, holds, ids, new Set(parked));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(error instanceof Error ? error : undefined);
      throw error;
    }
  }

  /** True when entry `index` claimed its event id; false when the id was processed before. */
  holdsClaim(index: number): boolean {
    return this.holds[index];
  }

  /** Commits the claims of entries before `keepCount` and withdraws the rest. */
  async commit(keepCount: number): Promise<void> {
    if (this.finished) return;
    const withdrawn = this.ids.filter((_, index) => index >= keepCount && this.holds[index]);
    try {
      if (withdrawn.length > 0) {
        await this.client.query(`DELETE FROM "${this.schema}".processed_events WHERE consumer_group = $1 AND event_id = ANY($2::text[])`, [this.groupId, withdrawn]);
      }
      await this.client.query('COMMIT');
      this.finished = true;
      this.client.release();
    } catch (error) {
      await this.abort(error);
      throw error;
    }
  }

  /** Rolls every claim back: nothing of the run is recorded and all of it is redelivered. */
  async abort(cause?: unknown): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    let broken: unknown = cause instanceof Error ? cause : undefined;
    await this.client.query('ROLLBACK').catch((error: unknown) => {
      broken = error;
    });
    // A connection that failed mid-transaction is not handed back to the pool for reuse.
    this.client.release(broken instanceof Error ? broken : undefined);
  }
}

const SEPARATOR = ',';

/**
 * A text[] literal. Event ids, types and keys hold no comma in practice, so they travel as one
 * escaped string that the server splits: escaping each of a run's values on its own allocated
 * more than anything else the inbox did per event. A value that is empty or holds a comma falls
 * back to one literal per value.
 */
export function textArray(values: readonly string[]): string {
  if (values.every((v) => v.length > 0 && !v.includes(SEPARATOR))) return `string_to_array(${quoteLiteral(values.join(SEPARATOR))}, '${SEPARATOR}')`;
  return `ARRAY[${values.map((v) => quoteLiteral(v)).join(',')}]::text[]`;
}

/**
 * A string literal, quoted as pg's escapeLiteral quotes it (`E'…'` when there is a backslash).
 * pg builds its result a character at a time, which for a run's joined ids (some 18 KB) was the
 * runtime's largest allocation per event; two replace() calls allocate the result once.
 */
export function quoteLiteral(value: string): string {
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}
