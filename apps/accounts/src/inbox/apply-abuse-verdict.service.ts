import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventEnvelope, EventType, Verdict, VerdictReason } from '@platform/contracts';
import { AccountStatus } from '../accounts/account-state';
import { AccountChange, suspendAccount } from '../accounts/account-lifecycle';
import { IllegalTransitionError } from '../accounts/account.errors';
import { saveAccountChange } from '../accounts/account.repository';
import { InboxOutcome } from './applied-events';
import { applyInboundEvent, traceOf } from './inbound-event';

const MAX_REASON_LENGTH = 500;

/**
 * Applies abuse-scan's verdict: the score and verdict are stored; a `block` also suspends the
 * account with the rules' reasons (account.suspended.v1). A verdict for a closed account, or a
 * block for one already suspended, is not an error: events race with people, and the log line
 * says what was skipped.
 */
@Injectable()
export class ApplyAbuseVerdictService {
  private readonly logger = new Logger(ApplyAbuseVerdictService.name);

  constructor(private readonly dataSource: DataSource) {}

  apply(event: EventEnvelope<typeof EventType.AbuseVerdictIssued>): Promise<InboxOutcome> {
    const verdict = event.data;
    return applyInboundEvent(this.dataSource, this.logger, event, async (manager, account, now) => {
      if (account.status === AccountStatus.Closed) return { status: 'ignored', detail: 'account is closed' };

      let change: AccountChange = { changes: { abuseVerdict: verdict.verdict, abuseScore: verdict.score }, events: [] };
      let detail = `stored verdict ${verdict.verdict} (score ${verdict.score})`;
      if (verdict.verdict === Verdict.Block) {
        try {
          const suspension = suspendAccount(account, suspensionReasons(verdict.reasons), now, traceOf(event));
          change = { changes: { ...change.changes, ...suspension.changes }, events: suspension.events };
          detail += ' and suspended the account';
        } catch (error) {
          if (!(error instanceof IllegalTransitionError)) throw error;
          detail += `; not suspended: account is already ${account.status}`;
        }
      }
      await saveAccountChange(manager, account, change, now);
      return { status: 'applied', detail };
    });
  }
}

/** One line per rule that fired, bounded to the contract's length; never empty, so support always sees why. */
export function suspensionReasons(reasons: readonly VerdictReason[]): string[] {
  const lines = reasons.map((r) => `${r.rule}: ${r.reason}`.slice(0, MAX_REASON_LENGTH));
  return lines.length > 0 ? lines : ['blocked by abuse scan'];
}
