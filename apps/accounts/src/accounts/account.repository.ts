import { EntityManager, QueryFailedError } from 'typeorm';
import { AccountConstraint, AccountEntity } from './account.entity';
import { AccountNotFoundError, EmailAlreadyRegisteredError, ExternalIdAlreadyRegisteredError } from './account.errors';
import { AccountChange } from './account-lifecycle';
import { appendLifecycleEvents, lifecycleEventsInsert } from './account-events';
import { EventEnvelope } from '@platform/contracts';
import { PreparedStatement } from '../database/prepared-statement';
import { ACCOUNTS_SCHEMA } from '../database/schema';

/**
 * Persistence of accounts inside a caller's transaction. Every write goes through
 * `saveAccountChange`, which bumps the version and appends the change's events to the outbox
 * with the same EntityManager: there is no way to change an account without announcing it.
 */

/** Reads and row-locks the account until the transaction ends, so concurrent changes queue instead of racing. */
export async function lockAccount(manager: EntityManager, accountId: string): Promise<AccountEntity> {
  const account = await manager.findOne(AccountEntity, { where: { id: accountId }, lock: { mode: 'pessimistic_write' } });
  if (!account) throw new AccountNotFoundError(accountId);
  return account;
}

/**
 * The new account and its events as ONE statement (a CTE): one round trip instead of four
 * (begin, two inserts, commit), which is most of a sign-up's cost. A single statement is atomic
 * on its own, so it needs no explicit transaction; inside one it behaves the same.
 *
 * With a precondition (a data-modifying CTE of its own, such as storing an idempotent request's
 * response), the account and its events are written only if that CTE returned a row, and the
 * statement returns one row per event written: none means nothing was written at all.
 */
export function insertAccountStatement(account: AccountEntity, events: readonly EventEnvelope[], precondition?: SignupPrecondition): PreparedStatement {
  const before = precondition?.params.length ?? 0;
  const accountParams: unknown[] = [
    account.id,
    account.email,
    account.emailNormalized,
    account.displayName,
    account.locale,
    account.plan,
    account.externalId,
    account.status,
    account.signupIp,
    account.signupUserAgent,
    account.version,
    account.createdAt,
    account.updatedAt,
  ];
  const values = accountParams.map((_, i) => `$${before + i + 1}`).join(', ');
  const into = `INSERT INTO "${ACCOUNTS_SCHEMA}".accounts (id, email, email_normalized, display_name, locale, plan, external_id, status,
                                                   signup_ip, signup_user_agent, version, created_at, updated_at)`;
  const params = [...(precondition?.params ?? []), ...accountParams];
  const outbox = lifecycleEventsInsert(events, params.length, precondition ? 'account' : undefined);
  const prelude = precondition?.prelude ? `${precondition.prelude},\n          ` : '';
  const accountCte = precondition
    ? `${prelude}${precondition.name} AS (${precondition.sql}),
          account AS (${into} SELECT ${values} WHERE EXISTS (SELECT 1 FROM ${precondition.name}) RETURNING id)`
    : `account AS (${into} VALUES (${values}))`;
  return {
    // The text depends only on the precondition (each has one text) and the number of events.
    name: `accounts.signup.${precondition?.name ?? 'plain'}.${events.length}`,
    sql: `WITH ${accountCte}\n          ${outbox.sql}`,
    params: [...params, ...outbox.params],
  };
}

/**
 * A write that must commit with a new account or not at all, as a data-modifying CTE numbering
 * its parameters from $1 and returning a row when it applied.
 */
export interface SignupPrecondition {
  readonly name: string;
  readonly sql: string;
  readonly params: readonly unknown[];
  /** More CTEs (`name AS (…)`, comma-separated) placed before it, on the same parameters. */
  readonly prelude?: string;
}

export async function saveAccountChange(manager: EntityManager, account: AccountEntity, change: AccountChange, now: Date): Promise<AccountEntity> {
  const values = { ...change.changes, version: account.version + 1, updatedAt: now };
  // The version in the WHERE clause is belt and braces: the row is locked, so it must match.
  const result = await manager.update(AccountEntity, { id: account.id, version: account.version }, values);
  if (result.affected !== 1) throw new Error(`account ${account.id} changed under a row lock (version ${account.version})`);
  await appendLifecycleEvents(manager, change.events);
  return Object.assign(new AccountEntity(), account, values);
}

/**
 * Turns a unique violation into the domain error it means. Matching on the index name rather
 * than parsing the message keeps this stable across PostgreSQL versions and locales.
 */
export function translateUniqueViolation(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  // TypeORM wraps the driver's error; a prepared statement (queryPrepared) throws it as it is.
  const driverError = (error instanceof QueryFailedError ? error.driverError : error) as { code?: string; constraint?: string };
  if (driverError.code !== '23505') return error;
  if (driverError.constraint === AccountConstraint.EmailUnique) return new EmailAlreadyRegisteredError();
  if (driverError.constraint === AccountConstraint.ExternalIdUnique) return new ExternalIdAlreadyRegisteredError();
  return error;
}
