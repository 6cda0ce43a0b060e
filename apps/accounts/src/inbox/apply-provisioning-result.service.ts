import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventEnvelope, EventType } from '@platform/contracts';
import { ProvisioningStatus } from '../accounts/account.entity';
import { AccountStatus } from '../accounts/account-state';
import { AccountChange, activateAccount } from '../accounts/account-lifecycle';
import { saveAccountChange } from '../accounts/account.repository';
import { InboxOutcome } from './applied-events';
import { applyInboundEvent, traceOf } from './inbound-event';

/**
 * Applies provisioning's outcome. Completion stores the workspace and activates a pending
 * account (account.activated.v1); a suspended account keeps its suspension and is activated by
 * its reactivation instead. Failure is recorded for support; the account stays pending.
 */
@Injectable()
export class ApplyProvisioningResultService {
  private readonly logger = new Logger(ApplyProvisioningResultService.name);

  constructor(private readonly dataSource: DataSource) {}

  completed(event: EventEnvelope<typeof EventType.ProvisioningCompleted>): Promise<InboxOutcome> {
    return applyInboundEvent(this.dataSource, this.logger, event, async (manager, account, now) => {
      if (account.status === AccountStatus.Closed) return { status: 'ignored', detail: 'account is closed' };

      const stored = { provisioningStatus: ProvisioningStatus.Provisioned, workspaceSchema: event.data.workspace.schema };
      let change: AccountChange = { changes: stored, events: [] };
      let detail = `stored workspace ${event.data.workspace.schema}`;
      if (account.status === AccountStatus.Pending) {
        const activation = activateAccount(account, now, traceOf(event));
        change = { changes: { ...stored, ...activation.changes }, events: activation.events };
        detail += ' and activated the account';
      } else {
        detail += `; not activated: account is ${account.status}`;
      }
      await saveAccountChange(manager, account, change, now);
      return { status: 'applied', detail };
    });
  }

  failed(event: EventEnvelope<typeof EventType.ProvisioningFailed>): Promise<InboxOutcome> {
    return applyInboundEvent(this.dataSource, this.logger, event, async (manager, account, now) => {
      if (account.status === AccountStatus.Closed) return { status: 'ignored', detail: 'account is closed' };
      // A late failure from an earlier attempt must not hide a workspace that exists.
      if (account.provisioningStatus === ProvisioningStatus.Provisioned) {
        return { status: 'ignored', detail: 'provisioning already completed' };
      }
      await saveAccountChange(manager, account, { changes: { provisioningStatus: ProvisioningStatus.Failed }, events: [] }, now);
      return { status: 'applied', detail: `stored provisioning failure at step ${event.data.step} (${event.data.errorCode})` };
    });
  }
}
