import { Client } from 'pg';
import { OUTBOX_NOTIFY_CHANNEL } from './outbox-table';
import type { PlatformLogger } from '@platform/observability';
import { SqlExecutor } from './outbox-writer';

/** Tells listening relays there is work. Any connection will do; the relay only needs the wake-up. */
export async function notifyOutbox(executor: SqlExecutor): Promise<void> {
  await executor.query(`SELECT pg_notify('${OUTBOX_NOTIFY_CHANNEL}', '')`);
}

/**
 * Wakes the relay after outbox rows commit, from outside the writing transactions: a NOTIFY
 * inside them would make PostgreSQL commit them one at a time. Notifications are coalesced: at
 * most one is in flight, and pokes that arrive meanwhile are folded into one more after it, so
 * a thousand commits per second cost a handful of notifications, and an idle writer costs none.
 * A lost notification (crash between commit and poke) only delays publishing to the relay's
 * next poll.
 */
export class OutboxNotifier {
  private client?: Client;
  private connecting?: Promise<Client>;
  private inFlight = false;
  private again = false;
  private closed = false;
  private idle: Promise<void> = Promise.resolve();
  private settle?: () => void;

  constructor(
    private readonly connectionString: string,
    private readonly logger?: Pick<PlatformLogger, 'warn'>,
    /**
     * node-postgres' connect and statement timeouts (pgTimeoutOptions of @platform/config): a hung
     * connect would keep a notification in flight for ever, and every later poke folded behind it.
     */
    private readonly timeouts: { readonly connectionTimeoutMillis: number; readonly statement_timeout: number } = { connectionTimeoutMillis: 5_000, statement_timeout: 30_000 },
  ) {}

  /** Call after a transaction that wrote outbox rows has committed. Never throws, never waits. */
  poke(): void {
    if (this.closed) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    this.idle = new Promise((resolve) => (this.settle = resolve));
    void this.drain();
  }

  /** Resolves when no notification is pending; for tests and shutdown. */
  flushed(): Promise<void> {
    return this.idle;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.idle;
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      try {
        await notifyOutbox(await this.connection());
      } catch (error) {
        this.logger?.warn(`could not notify the relay (it will find the events on its next poll): ${(error as Error).message}`);
        await this.client?.end().catch(() => undefined);
        this.client = undefined;
      }
    } while (this.again && !this.closed);
    this.inFlight = false;
    this.settle?.();
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    this.connecting ??= (async () => {
      const client = new Client({ connectionString: this.connectionString, application_name: 'outbox-notifier', ...this.timeouts });
      client.on('error', () => undefined);
      await client.connect();
      // The notification transaction writes no data worth an fsync wait: if it is lost in a
      // crash, the relay's poll finds the events anyway.
      await client.query('SET synchronous_commit = off');
      return client;
    })().finally(() => (this.connecting = undefined));
    this.client = await this.connecting;
    return this.client;
  }
}
