import { CompressionTypes, Kafka } from 'kafkajs';
import type { BackoffBounds } from '@platform/config';
import { errorCode } from '@platform/contracts';
import { PlatformLogger, silentLogger } from '@platform/observability';
import { Backoff, DEFAULT_DATABASE_BACKOFF, DEFAULT_KAFKA_BACKOFF } from './backoff';
import { claimBatch, deletePublished, outboxTable } from './outbox-claimer';
import type { OutboxRow } from './outbox-row';
import { OUTBOX_NOTIFY_CHANNEL } from './outbox-table';
import { leaderLockKey, releaseLeaderLock, tryAcquireLeaderLock } from './leader-lock';
import { DEFAULT_MAX_BATCH_BYTES, takeWithinBytes } from './relay-batch';
import { RelayConfigError, RelaySessionError } from './relay-errors';
import { RelayPublisher } from './relay-publisher';
import { RelaySession } from './relay-session';
import { Wakeup } from './wakeup';

export type RelayRole = 'starting' | 'standby' | 'active' | 'stopped';
export type ComponentState = 'unknown' | 'up' | 'down';

export interface RelayStatus {
  readonly role: RelayRole;
  readonly database: ComponentState;
  readonly kafka: ComponentState;
  readonly publishedEvents: number;
  readonly publishedBatches: number;
  readonly lastPublishedAt: Date | null;
}

export interface RelayHooks {
  /**
   * Runs after Kafka acknowledged a batch and before its rows are deleted: the one window in
   * which a crash causes duplicates. Throwing here behaves like losing the session there.
   */
  afterPublish?(rows: readonly OutboxRow[]): void | Promise<void>;
}

export interface OutboxRelayOptions {
  readonly connectionString: string;
  readonly schema: string;
  readonly kafka: Kafka;
  /** Rows per SELECT, hence per sendBatch. */
  readonly batchSize?: number;
  readonly maxBatchBytes?: number;
  /** Fallback wake-up when no NOTIFY arrives (a notification is never queued for a relay that was not listening). */
  readonly pollIntervalMs?: number;
  /** How often a standby asks for the leader lock; bounds how long a takeover takes. */
  readonly standbyRetryMs?: number;
  readonly kafkaBackoff?: BackoffBounds;
  readonly databaseBackoff?: BackoffBounds;
  readonly compression?: CompressionTypes;
  readonly logger?: PlatformLogger;
  readonly hooks?: RelayHooks;
}

export const RELAY_DEFAULTS = { batchSize: 1000, pollIntervalMs: 1000, standbyRetryMs: 1000 } as const;

/**
 * Publishes the outbox to Kafka, at least once and in id order:
 *
 *   take the leader lock -> LISTEN -> loop { SELECT oldest n -> sendBatch (acks=all) -> DELETE them }
 *
 * A row leaves the table only after Kafka acknowledged it, so a crash before the send loses
 * nothing and a crash between send and delete republishes the batch: the duplicates carry the
 * same ce_id. Only the lock holder reads, so per-key order holds with any number of instances.
 */
export class OutboxRelay {
  /** Work may be waiting: a NOTIFY, a stop, a lost session. */
  private readonly wakeup = new Wakeup();
  /** Back-off and standby sleeps: only a stop or a lost session ends them early, never a NOTIFY. */
  private readonly pause = new Wakeup();
  private readonly publisher: RelayPublisher;
  private readonly lockKey: string;
  private readonly log: PlatformLogger;
  private readonly batchSize: number;
  private readonly maxBatchBytes: number;
  private readonly pollIntervalMs: number;
  private readonly standbyRetryMs: number;

  private running: Promise<void> | undefined;
  private stopping = false;
  private role: RelayRole = 'starting';
  private database: ComponentState = 'unknown';
  private kafka: ComponentState = 'unknown';
  private kafkaDownSince = 0;
  private publishedEvents = 0;
  private publishedBatches = 0;
  private lastPublishedAt: Date | null = null;

  constructor(private readonly options: OutboxRelayOptions) {
    outboxTable(options.schema); // validates the identifier before any SQL is built from it
    this.batchSize = positive('batchSize', options.batchSize ?? RELAY_DEFAULTS.batchSize);
    this.maxBatchBytes = positive('maxBatchBytes', options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES);
    this.pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs ?? RELAY_DEFAULTS.pollIntervalMs);
    this.standbyRetryMs = positive('standbyRetryMs', options.standbyRetryMs ?? RELAY_DEFAULTS.standbyRetryMs);
    this.lockKey = leaderLockKey(options.schema);
    this.log = options.logger ?? silentLogger;
    this.publisher = new RelayPublisher(options.kafka, options.compression ?? CompressionTypes.None);
  }

  status(): RelayStatus {
    return {
      role: this.role,
      database: this.database,
      kafka: this.kafka,
      publishedEvents: this.publishedEvents,
      publishedBatches: this.publishedBatches,
      lastPublishedAt: this.lastPublishedAt,
    };
  }

  /**
   * Starts the loop; the promise settles when stop() has finished it. Kafka and database outages
   * are ridden out inside, never surfaced as a rejection: a crash loop would only add restarts.
   */
  run(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  /** Finishes the batch in flight (send and delete), releases the lock, disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeup.signal();
    this.pause.signal();
    await this.running;
  }

  private async loop(): Promise<void> {
    const reconnect = new Backoff(this.options.databaseBackoff ?? DEFAULT_DATABASE_BACKOFF);
    this.log.info('outbox relay starting', { schema: this.options.schema, batchSize: this.batchSize, pollIntervalMs: this.pollIntervalMs });
    while (!this.stopping) {
      const session = new RelaySession(
        this.options.connectionString,
        () => this.onSessionLost(),
        (channel) => channel === OUTBOX_NOTIFY_CHANNEL && this.wakeup.signal(),
      );
      let failed = false;
      try {
        await session.connect();
        this.setDatabase('up');
        reconnect.reset();
        if (await this.awaitLeadership(session)) await this.lead(session);
      } catch (error) {
        failed = true;
        this.onLoopFailure(error, reconnect);
      } finally {
        await this.resign(session);
      }
      if (failed) await this.sleep(reconnect.next());
    }
    await this.publisher.close();
    this.setRole('stopped');
  }

  private async awaitLeadership(session: RelaySession): Promise<boolean> {
    while (!this.stopping) {
      if (await tryAcquireLeaderLock(session, this.lockKey)) {
        this.setRole('active');
        return true;
      }
      this.setRole('standby');
      await this.sleep(this.standbyRetryMs, session);
      session.assertAlive();
    }
    return false;
  }

  private async lead(session: RelaySession): Promise<void> {
    await session.listen(OUTBOX_NOTIFY_CHANNEL);
    const kafkaBackoff = new Backoff(this.options.kafkaBackoff ?? DEFAULT_KAFKA_BACKOFF);
    while (!this.stopping) {
      session.assertAlive();
      // Cleared before the SELECT: a commit notified from now on is after our snapshot and must wake us.
      this.wakeup.clear();
      const claimed = await claimBatch(session, this.options.schema, this.batchSize);
      if (claimed.length === 0) {
        await this.wakeup.wait(this.pollIntervalMs);
        continue;
      }
      const batch = takeWithinBytes(claimed, this.maxBatchBytes);
      try {
        await this.publisher.publish(batch);
      } catch (error) {
        const delayMs = kafkaBackoff.next();
        this.setKafka('down', { code: errorCode(error), error: (error as Error).message, backlogHead: batch[0].id, retryInMs: delayMs });
        await this.sleep(delayMs, session);
        continue;
      }
      kafkaBackoff.reset();
      this.setKafka('up');
      await this.options.hooks?.afterPublish?.(batch);
      const deleted = await deletePublished(session, this.options.schema, batch);
      if (deleted !== batch.length) {
        // Only a second writer of deletes could cause this; the lock should make it impossible.
        this.log.warn('fewer outbox rows deleted than published', { published: batch.length, deleted, firstId: batch[0].id });
      }
      this.publishedEvents += batch.length;
      this.publishedBatches++;
      this.lastPublishedAt = new Date();
      // A short, whole batch means the table was drained as of our snapshot: wait for news.
      if (batch.length === claimed.length && claimed.length < this.batchSize) await this.wakeup.wait(this.pollIntervalMs);
    }
  }

  /** Gives the lock back explicitly on a healthy session (faster takeover), then closes it. */
  private async resign(session: RelaySession): Promise<void> {
    if (this.role === 'active' && session.alive) {
      try {
        await releaseLeaderLock(session, this.lockKey);
      } catch {
        // Closing the session below releases it anyway.
      }
    }
    await session.close();
    // On a stop the role goes straight to 'stopped'; otherwise the lock went with the session.
    if (this.role === 'active' && !this.stopping) this.setRole('standby');
  }

  private onSessionLost(): void {
    // Ends any wait at once, so a relay that lost its lock stops acting as leader now, not after a poll interval.
    this.wakeup.signal();
    this.pause.signal();
  }

  private onLoopFailure(error: unknown, reconnect: Backoff): void {
    const fields = { code: errorCode(error), error: (error as Error).message, retryInMs: undefined as number | undefined };
    if (error instanceof RelaySessionError) {
      this.setDatabase('down', fields);
    } else {
      // Not an outage we model: say so every time, it should never happen.
      this.log.error('outbox relay loop failed; restarting its session', { ...fields, failures: reconnect.failures + 1 });
    }
  }

  /** Sleeps unless stopping; a lost session ends it early. */
  private async sleep(ms: number, session?: RelaySession): Promise<void> {
    this.pause.clear();
    if (this.stopping || (session && !session.alive)) return;
    await this.pause.wait(ms);
  }

  private setRole(role: RelayRole): void {
    if (this.role === role) return;
    const previous = this.role;
    this.role = role;
    const schema = this.options.schema;
    if (role === 'active') this.log.info('leader lock acquired; publishing the outbox', { schema });
    else if (role === 'standby' && previous === 'active') this.log.warn('leadership lost with the database session; no longer publishing', { schema });
    else if (role === 'standby') this.log.info('standing by: another relay holds the leader lock', { schema });
    else this.log.info('outbox relay stopped', { publishedEvents: this.publishedEvents, publishedBatches: this.publishedBatches });
  }

  private setDatabase(state: 'up' | 'down', fields: Record<string, unknown> = {}): void {
    if (this.database === state) return;
    const previous = this.database;
    this.database = state;
    if (state === 'down') this.log.warn('outbox database unavailable; reconnecting with back-off', fields);
    else if (previous === 'down') this.log.info('outbox database reachable again');
    else this.log.info('connected to the outbox database');
  }

  private setKafka(state: 'up' | 'down', fields: Record<string, unknown> = {}): void {
    if (this.kafka === state) return;
    const previous = this.kafka;
    this.kafka = state;
    if (state === 'down') {
      this.kafkaDownSince = Date.now();
      this.log.warn('Kafka unavailable; keeping events in the outbox and backing off', fields);
    } else if (previous === 'down') {
      this.log.info('Kafka available again; draining the backlog', { downForMs: Date.now() - this.kafkaDownSince });
    } else {
      this.log.info('connected to Kafka');
    }
  }
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 1) throw new RelayConfigError(`${name} must be a positive number, got ${value}`);
  return value;
}
