import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountEntity } from './account.entity';
import { AccountChange, closeAccount, reactivateAccount, suspendAccount } from './account-lifecycle';
import { TraceContext } from './account-events';
import { lockAccount, saveAccountChange } from './account.repository';
import { VersionPrecondition, checkVersion } from './if-match';

/**
 * Operator-initiated transitions: suspend, reactivate, close. Each locks the row, checks the
 * optional If-Match and the state machine, then writes the new state and its event in one
 * transaction. An illegal move throws IllegalTransitionError (409 over HTTP).
 */
@Injectable()
export class ChangeAccountStatusService {
  constructor(private readonly dataSource: DataSource) {}

  suspend(accountId: string, reason: string, precondition?: VersionPrecondition, trace?: TraceContext): Promise<AccountEntity> {
    return this.apply(accountId, precondition, (account, now) => suspendAccount(account, [reason], now, trace));
  }

  reactivate(accountId: string, reason: string, precondition?: VersionPrecondition, trace?: TraceContext): Promise<AccountEntity> {
    return this.apply(accountId, precondition, (account, now) => reactivateAccount(account, reason, now, trace));
  }

  /** Close with erasure; see closeAccount for what is erased. */
  close(accountId: string, precondition?: VersionPrecondition, trace?: TraceContext): Promise<AccountEntity> {
    return this.apply(accountId, precondition, (account, now) => closeAccount(account, now, trace));
  }

  private apply(
    accountId: string,
    precondition: VersionPrecondition | undefined,
    decide: (account: AccountEntity, now: Date) => AccountChange,
  ): Promise<AccountEntity> {
    return this.dataSource.transaction(async (manager) => {
      const account = await lockAccount(manager, accountId);
      checkVersion(precondition, account.version);
      const now = new Date();
      return saveAccountChange(manager, account, decide(account, now), now);
    });
  }
}
