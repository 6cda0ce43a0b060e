import { EntityManager, EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { OutboxNotifier } from '@platform/outbox';

const OUTBOX_WRITTEN = 'outboxWritten';

/** Remembers, on the transaction's query runner, that it appended to the outbox. */
export function markOutboxWritten(manager: EntityManager): void {
  const runner = manager.queryRunner;
  if (runner) runner.data = { ...runner.data, [OUTBOX_WRITTEN]: true };
}

/**
 * Pokes the relay once a transaction that wrote outbox rows has committed. A TypeORM subscriber
 * rather than a call in each service: no write path can forget it, and a rolled-back
 * transaction never wakes anyone.
 */
export class OutboxCommitSubscriber implements EntitySubscriberInterface {
  constructor(private readonly notifier: Pick<OutboxNotifier, 'poke'>) {}

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (!event.queryRunner.data?.[OUTBOX_WRITTEN]) return;
    delete event.queryRunner.data[OUTBOX_WRITTEN];
    this.notifier.poke();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (event.queryRunner.data) delete event.queryRunner.data[OUTBOX_WRITTEN];
  }
}
