import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EventEnvelope, EventType } from '@platform/contracts';
import { AccountEntity } from './account.entity';
import { AccountStatus } from './account-state';
import { DEFAULT_LOCALE, DEFAULT_PLAN, canonicalLocale, normalizeEmail } from './account-fields';
import { TraceContext, accountEvent } from './account-events';
import { SignupPrecondition, insertAccountStatement, translateUniqueViolation } from './account.repository';
import { OutboxWakeups } from '../outbox/outbox-wakeups';
import { queryPrepared } from '../database/prepared-statement';

export interface CreateAccountCommand {
  readonly email: string;
  readonly displayName: string;
  readonly locale?: string;
  readonly plan?: string;
  readonly externalId?: string | null;
  readonly signupContext?: { readonly ip?: string | null; readonly userAgent?: string | null };
}

/**
 * A write that must commit with the account or not at all, in the same statement: the stored
 * response of an idempotent request, so that a retry can never find an account without it.
 * When it does not apply (its CTE returns no row), nothing is written and `unmet()` is thrown.
 */
export interface AlsoInStatement {
  readonly precondition: (account: AccountEntity) => SignupPrecondition;
  readonly unmet: () => Error;
}

/** A new account as a sign-up makes it: pending, version 1, its email kept as given and normalised for uniqueness. */
export function newAccount(command: CreateAccountCommand, now: Date): AccountEntity {
  return Object.assign(new AccountEntity(), {
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
}

/** account.created.v1 for a new account, at the time of its sign-up. */
export function accountCreatedEvent(account: AccountEntity, trace: TraceContext, now: Date): EventEnvelope<typeof EventType.AccountCreated> {
  return accountEvent(
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
}

/**
 * Sign-up: the account row (pending) and account.created.v1 in one statement. Uniqueness of
 * the email is left to the unique index: checking first and inserting second would let two
 * concurrent sign-ups with the same address both pass the check.
 */
@Injectable()
export class CreateAccountService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWakeups,
  ) {}

  async create(command: CreateAccountCommand, trace: TraceContext = {}, alsoInStatement?: AlsoInStatement): Promise<AccountEntity> {
    const now = new Date();
    const account = newAccount(command, now);
    const created = accountCreatedEvent(account, trace, now);

    // One statement either way, committed on its own: a transaction around it would cost three
    // more round trips, each a wait for a busy event loop and a busy database under load.
    const insert = insertAccountStatement(account, [created], alsoInStatement?.precondition(account));
    let written: unknown[];
    try {
      written = await queryPrepared(this.dataSource, insert);
    } catch (error) {
      throw translateUniqueViolation(error);
    }
    if (alsoInStatement && written.length === 0) throw alsoInStatement.unmet();
    this.outbox.poke();
    return account;
  }
}
