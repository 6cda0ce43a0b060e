import { PermanentError } from '@platform/contracts';
import type { AccountStatus, AccountTransition } from './account-state';

/**
 * What can go wrong with an account, independent of how it was asked for: HTTP maps these to
 * problem documents (account-http-errors.ts), the inbox to log lines or dead letters. None is
 * worth retrying, hence PermanentError; each has a stable code.
 */
export class AccountNotFoundError extends PermanentError {
  constructor(readonly accountId: string) {
    super(`account ${accountId} does not exist`, 'ACCOUNT_NOT_FOUND');
  }
}

export class EmailAlreadyRegisteredError extends PermanentError {
  constructor() {
    // The address is deliberately not repeated: messages end up in logs.
    super('an account with this email address already exists', 'EMAIL_ALREADY_REGISTERED');
  }
}

export class ExternalIdAlreadyRegisteredError extends PermanentError {
  constructor() {
    super('an account with this external id already exists', 'EXTERNAL_ID_ALREADY_REGISTERED');
  }
}

export class IllegalTransitionError extends PermanentError {
  constructor(
    readonly accountId: string,
    readonly from: AccountStatus,
    readonly transition: AccountTransition,
  ) {
    super(`account ${accountId} is ${from} and cannot ${transition}`, 'ILLEGAL_STATE_TRANSITION');
  }
}

export class AccountClosedError extends PermanentError {
  constructor(readonly accountId: string) {
    super(`account ${accountId} is closed and can no longer change`, 'ACCOUNT_CLOSED');
  }
}

/** The If-Match version is not the current one: someone else changed the account in between. */
export class StaleVersionError extends PermanentError {
  constructor(
    readonly expected: readonly number[],
    readonly current: number,
  ) {
    super(`account is at version ${current}, the request was based on version ${expected.join(' or ')}`, 'VERSION_MISMATCH');
  }
}

export class InvalidLocaleError extends PermanentError {
  constructor(readonly locale: string) {
    super(`${JSON.stringify(locale)} is not a well-formed BCP 47 language tag`, 'LOCALE_INVALID');
  }
}

/** Re-linking to another upstream identity would orphan the first one; it takes support, not a PATCH. */
export class ExternalIdImmutableError extends PermanentError {
  constructor() {
    super('the external id is already set and cannot be changed', 'EXTERNAL_ID_IMMUTABLE');
  }
}
