import { Client } from 'pg';
import { RelaySessionError } from './relay-errors';
import type { SqlQueryable } from './outbox-claimer';

/**
 * The relay's one dedicated connection. It holds the leader lock, LISTENs, and runs the claim
 * and delete queries, all on the same session: if the session dies, the lock is gone and so is
 * the ability to read or delete rows, so a relay that lost leadership cannot go on publishing.
 */
export class RelaySession implements SqlQueryable {
  private readonly client: Client;
  private lostWith: Error | undefined;

  constructor(
    connectionString: string,
    private readonly onLost: (error: Error) => void,
    private readonly onNotify: (channel: string) => void,
  ) {
    this.client = new Client({
      connectionString,
      application_name: 'outbox-relay',
      connectionTimeoutMillis: 5_000,
      // A query stuck on a half-open connection would otherwise hold the loop forever.
      query_timeout: 30_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      // Server-side keepalives: if this host vanishes, PostgreSQL ends the session (and frees the
      // lock for the standby) in about 25 s instead of the kernel default of hours.
      // synchronous_commit=off: the session only ever writes the DELETE of rows Kafka has
      // acknowledged. Losing that commit in a PostgreSQL crash republishes those rows with their
      // ce_ids (the duplicates at-least-once allows), so waiting for its WAL flush would only add
      // an fsync to every publish cycle, hence to every event's commit-to-ack time.
      options: '-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3 -c synchronous_commit=off',
    });
    // An error on an idle pg client is emitted, not thrown; unhandled it would kill the process.
    this.client.on('error', (error) => this.lose(error));
    this.client.on('end', () => this.lose(new Error('connection ended')));
    this.client.on('notification', (message) => this.onNotify(message.channel));
  }

  async connect(): Promise<void> {
    try {
      await this.client.connect();
    } catch (error) {
      throw new RelaySessionError(`cannot connect to the outbox database: ${(error as Error).message}`, error, 'RELAY_DATABASE_UNREACHABLE');
    }
  }

  get alive(): boolean {
    return this.lostWith === undefined;
  }

  /** Throws once the connection is gone, so the loop never acts as leader on a dead session. */
  assertAlive(): void {
    if (this.lostWith) throw new RelaySessionError(`outbox database session lost: ${this.lostWith.message}`, this.lostWith);
  }

  async query<R extends object = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }> {
    this.assertAlive();
    try {
      return await this.client.query<R>(sql, parameters);
    } catch (error) {
      throw new RelaySessionError(`outbox database query failed: ${(error as Error).message}`, error);
    }
  }

  async listen(channel: string): Promise<void> {
    // Identifiers cannot be bound as parameters; the channel is a constant of ours, quoted anyway.
    await this.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
  }

  /** Ends the session; PostgreSQL drops its advisory locks and LISTENs with it. */
  async close(): Promise<void> {
    this.lostWith ??= new Error('session closed');
    try {
      await this.client.end();
    } catch {
      // Already broken: there is nothing left to release.
    }
  }

  private lose(error: Error): void {
    if (this.lostWith) return;
    this.lostWith = error;
    this.onLost(error);
  }
}
