import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { EventType } from '@platform/contracts';
import { AccountEntity } from './account.entity';
import { AccountStatus } from './account-state';
import { DEFAULT_LOCALE, DEFAULT_PLAN, canonicalLocale, normalizeEmail } from './account-fields';
import { TraceContext, accountEvent } from './account-events';
import { insertAccountStatement, translateUniqueViolation } from './account.repository';
import { markOutboxWritten } from '../outbox/outbox-commit.subscriber';
import { OutboxWakeups } from '../outbox/outbox-wakeups';

export interface CreateAccountCommand {
  readonly email: string;
  readonly displayName: string;
  readonly locale?: string;
  readonly plan?: string;
  readonly externalId?: string | null;
  readonly signupContext?: { readonly ip?: string | null; readonly userAgent?: string | null };
}

/**
 * More writes that must commit with the account or not at all: the stored response of an
 * idempotent request, so that a retry can never find an account without it.
 */
export type AlsoInTransaction = (manager: EntityManager, account: AccountEntity) => Promise<void>;

/**
 * Sign-up: the account row (pending) and account.created.v1 in one transaction. Uniqueness of
 * the email is left to the unique index: checking first and inserting second would let two
 * concurrent sign-ups with the same address both pass the check.
 */
@Injectable()
export class CreateAccountService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWakeups,
  ) {}

  async create(command: CreateAccountCommand, trace: TraceContext = {}, alsoInTransaction?: AlsoInTransaction): Promise<AccountEntity> {
    const now = new Date();
    const account = Object.assign(new AccountEntity(), {
      id: randomUUID(),
      email: command.email.trim(),
      emailNormalized: normalizeEmail(command.email),
      displayName: command.displayName,
      locale: canonicalLocale(command.locale ?? DEFAULT_LOCALE),
      plan: command.plan ?? DEFAULT_PLAN,
      externalId: command.externalId ?? null,
      status: AccountStatus.Pending,
      signupIp: command.signupContext?.ip ?? null,
      signupUserAgent: command.signupContext?.userAgent ?? null,
      version: 1,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      suspensionReasons: null,
      abuseVerdict: null,
      abuseScore: null,
      provisioningStatus: null,
      workspaceSchema: null,
    } satisfies AccountEntity);

    const created = accountEvent(
      EventType.AccountCreated,
      account.id,
      {
        accountId: account.id,
        email: account.email,
        displayName: account.displayName,
        locale: account.locale,
        plan: account.plan,
        externalId: account.externalId,
        signupContext: { ip: account.signupIp, userAgent: account.signupUserAgent },
        createdAt: now.toISOString(),
      },
      trace,
      now,
    );

    const insert = insertAccountStatement(account, [created]);
    try {
      if (alsoInTransaction) {
        await this.dataSource.transaction(async (manager) => {
          await manager.query(insert.sql, insert.params);
          markOutboxWritten(manager);
          await alsoInTransaction(manager, account);
        });
      } else {
        // The common case commits as one statement; the relay is woken right after.
        await this.dataSource.query(insert.sql, insert.params);
        this.outbox.poke();
      }
    } catch (error) {
      throw translateUniqueViolation(error);
    }
    return account;
  }
}
