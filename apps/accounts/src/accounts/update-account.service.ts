import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventType } from '@platform/contracts';
import { AccountEntity } from './account.entity';
import { AccountStatus } from './account-state';
import { AccountClosedError, ExternalIdImmutableError } from './account.errors';
import { canonicalLocale } from './account-fields';
import { TraceContext, accountEvent } from './account-events';
import { AccountChanges } from './account-lifecycle';
import { lockAccount, saveAccountChange, translateUniqueViolation } from './account.repository';
import { VersionPrecondition, checkVersion } from './if-match';
import { UpdateAccountRequest } from './update-account.request';

type PatchableField = keyof UpdateAccountRequest;

/**
 * PATCH under optimistic concurrency: the client's If-Match must name the current version, so
 * an update based on a stale read is refused (412) instead of overwriting someone else's change.
 * A patch that changes nothing writes nothing and emits nothing.
 */
@Injectable()
export class UpdateAccountService {
  constructor(private readonly dataSource: DataSource) {}

  async update(accountId: string, patch: UpdateAccountRequest, precondition: VersionPrecondition, trace: TraceContext = {}): Promise<AccountEntity> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const account = await lockAccount(manager, accountId);
        checkVersion(precondition, account.version);
        if (account.status === AccountStatus.Closed) throw new AccountClosedError(accountId);

        const changes = this.changes(account, patch);
        const changedFields = Object.keys(changes) as PatchableField[];
        if (changedFields.length === 0) return account;

        const now = new Date();
        // Field names only: the values may be personal data, and consumers re-read what they need.
        const event = accountEvent(
          EventType.AccountUpdated,
          account.id,
          { accountId: account.id, version: account.version + 1, changedFields, updatedAt: now.toISOString() },
          trace,
          now,
        );
        return saveAccountChange(manager, account, { changes, events: [event] }, now);
      });
    } catch (error) {
      throw translateUniqueViolation(error);
    }
  }

  private changes(account: AccountEntity, patch: UpdateAccountRequest): AccountChanges {
    const changes: AccountChanges = {};
    if (patch.displayName !== undefined && patch.displayName !== account.displayName) changes.displayName = patch.displayName;
    if (patch.locale !== undefined) {
      const locale = canonicalLocale(patch.locale);
      if (locale !== account.locale) changes.locale = locale;
    }
    if (patch.plan !== undefined && patch.plan !== account.plan) changes.plan = patch.plan;
    if (patch.externalId !== undefined && patch.externalId !== account.externalId) {
      if (account.externalId !== null) throw new ExternalIdImmutableError();
      changes.externalId = patch.externalId;
    }
    return changes;
  }
}
