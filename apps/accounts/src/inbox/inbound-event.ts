import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EventEnvelope, PermanentError } from '@platform/contracts';
import { AccountEntity } from '../accounts/account.entity';
import { lockAccount } from '../accounts/account.repository';
import { TraceContext } from '../accounts/account-events';
import { InboxOutcome, recordApplied, wasApplied } from './applied-events';

type InboundEvent = EventEnvelope & { readonly data: { readonly accountId: string } };

/**
 * The frame every inbound event is applied in: one transaction that locks the account, skips
 * the event if it was applied before, lets `decide` change the account (state and outbox), and
 * records the event id. Locking the account first serialises all events of one account, so two
 * deliveries of the same event cannot both pass the "applied before?" check.
 */
export async function applyInboundEvent(
  dataSource: DataSource,
  logger: Logger,
  event: InboundEvent,
  decide: (manager: EntityManager, account: AccountEntity, now: Date) => Promise<InboxOutcome>,
): Promise<InboxOutcome> {
  const accountId = event.data.accountId;
  if (accountId !== event.subject) {
    // The subject is the Kafka key: a mismatch means the producer is broken, and no retry fixes that.
    throw new PermanentError(`${event.type} ${event.id}: data.accountId ${accountId} differs from subject ${event.subject}`, 'EVENT_SUBJECT_MISMATCH');
  }
  const outcome = await dataSource.transaction(async (manager) => {
    const account = await lockAccount(manager, accountId);
    if (await wasApplied(manager, event.id)) return { status: 'duplicate', detail: 'applied before' } as const;
    const result = await decide(manager, account, new Date());
    await recordApplied(manager, event, accountId, result);
    return result;
  });
  const line = `${event.type} ${event.id} for account ${accountId}: ${outcome.status} (${outcome.detail})`;
  if (outcome.status === 'applied') logger.log(line);
  else logger.warn(line);
  return outcome;
}

export function traceOf(event: EventEnvelope): TraceContext {
  return { ...(event.traceparent ? { traceparent: event.traceparent } : {}), ...(event.tracestate ? { tracestate: event.tracestate } : {}) };
}
