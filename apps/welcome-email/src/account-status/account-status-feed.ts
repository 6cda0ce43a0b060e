import { Consumer, EachMessagePayload, Kafka, LogEntry, logLevel } from 'kafkajs';
import { BackoffBounds, KafkaConfig, backoffDelayMs, kafkaConnection } from '@platform/config';
import { CloudEventHeader, assertEventData, decodeRecord, headerString } from '@platform/contracts';
import type { PlatformLogger } from '@platform/observability';
import { STATUS_EVENT_TYPES, accountStatusChange } from './account-status-change';
import type { AccountStatusChange, AccountStatusStore } from './account-status-store';

export interface AccountStatusFeedOptions {
  readonly kafka: KafkaConfig;
  /** Its own group: it must keep reading while the mail group is paused or blocked on a record. */
  readonly groupId: string;
  readonly topic: string;
  readonly store: Pick<AccountStatusStore, 'record'>;
  readonly logger: Pick<PlatformLogger, 'warn' | 'error'>;
  /** Called when kafkajs gives up on the consumer for good: the guard would silently go stale. */
  readonly onFatal: (error: Error) => void;
}

/** Waits between two attempts to store a change while the database is unavailable: from 200 ms, at most 5 s. */
const STORE_BACKOFF: BackoffBounds = { baseDelayMs: 200, maxDelayMs: 5_000 };

/**
 * Feeds the guard: reads suspensions, closures and reactivations from the lifecycle topic in a
 * consumer group of its own and stores them.
 *
 * Why not a handler in the mail group: that group keeps per-account order, so an account's
 * suspension waits behind its own created event whenever that event is held by the circuit
 * breaker or parked in a retry topic, which is exactly when the welcome mail is still unsent.
 * Read independently, the suspension is stored while the created event waits, and the send
 * that follows sees it.
 *
 * Storing is an idempotent upsert, so redelivery needs no inbox; an undecodable record is
 * skipped (the mail group dead-letters it); a database failure is retried in place with
 * heartbeats until it succeeds, so no change is ever skipped.
 */
export class AccountStatusFeed {
  private consumer?: Consumer;
  private stopping = false;

  constructor(private readonly options: AccountStatusFeedOptions) {}

  async start(): Promise<void> {
    const { kafka: config, groupId, topic, logger } = this.options;
    const kafka = new Kafka({
      clientId: `${config.clientId}-account-status`,
      ...kafkaConnection(config),
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => {
        const line = `account status feed: kafkajs ${entry.log.message}`;
        if (entry.level <= logLevel.ERROR) logger.error(line);
        else logger.warn(line);
      },
    });
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 1_000 });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart && !this.stopping) this.options.onFatal(event.payload.error);
    });
    await consumer.connect();
    // A new group reads the topic's whole retention: every suspension a waiting mail could meet.
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: (payload) => this.take(payload) });
  }

  /** Finishes the record in hand, commits and leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
  }

  private async take({ message, heartbeat }: EachMessagePayload): Promise<void> {
    // Most of the topic is other events: the type header decides before anything is parsed.
    const type = headerString(message.headers, CloudEventHeader.Type);
    if (!type || !STATUS_EVENT_TYPES.has(type)) return;
    let change: AccountStatusChange | undefined;
    try {
      const event = decodeRecord({ key: message.key, value: message.value, headers: message.headers });
      assertEventData(event.type, event.data);
      change = accountStatusChange(event);
    } catch (error) {
      this.options.logger.warn(`account status feed: skipped an unreadable ${type} record at offset ${message.offset}: ${(error as Error).message}`);
      return;
    }
    if (change) await this.store(change, heartbeat);
  }

  private async store(change: AccountStatusChange, heartbeat: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.options.store.record(change);
        return;
      } catch (error) {
        // Left uncommitted on shutdown: the next run reads the record again.
        if (this.stopping) throw error;
        this.options.logger.warn(`account status feed: storing ${change.status} of account ${change.accountId} failed (attempt ${attempt}): ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, backoffDelayMs(STORE_BACKOFF, attempt)));
        await heartbeat();
      }
    }
  }
}
