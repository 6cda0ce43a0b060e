import {
  ConflictProblem,
  HttpProblem,
  NotFoundProblem,
  PreconditionFailedProblem,
  UnprocessableContentProblem,
} from '../problem-details/http-problems';
import {
  AccountClosedError,
  AccountNotFoundError,
  EmailAlreadyRegisteredError,
  ExternalIdAlreadyRegisteredError,
  ExternalIdImmutableError,
  IllegalTransitionError,
  InvalidLocaleError,
  StaleVersionError,
} from './account.errors';
import { etagOf } from './account.response';

/**
 * The one place where account domain errors meet HTTP. The domain code stays free of status
 * codes (the inbox reuses it), and each error keeps its stable code in the problem document.
 */
export function accountProblem(error: unknown): HttpProblem | undefined {
  if (error instanceof AccountNotFoundError) {
    return new NotFoundProblem({ code: error.code, title: 'Account not found', detail: `No account has the id ${error.accountId}.` });
  }
  if (error instanceof EmailAlreadyRegisteredError) {
    return new ConflictProblem({ code: error.code, title: 'Email already registered', detail: 'An account with this email address already exists.' });
  }
  if (error instanceof ExternalIdAlreadyRegisteredError) {
    return new ConflictProblem({ code: error.code, title: 'External id already registered', detail: 'An account with this external id already exists.' });
  }
  if (error instanceof IllegalTransitionError) {
    return new ConflictProblem({
      code: error.code,
      title: 'Illegal state transition',
      detail: `The account is ${error.from}; it cannot ${error.transition} from that state.`,
    });
  }
  if (error instanceof AccountClosedError) {
    return new ConflictProblem({ code: error.code, title: 'Account closed', detail: 'The account is closed and can no longer be changed.' });
  }
  if (error instanceof StaleVersionError) {
    return new PreconditionFailedProblem({
      code: error.code,
      title: 'Precondition failed',
      detail: `The account has changed since it was read: its ETag is now ${etagOf(error.current)}. Read it again and reapply the change.`,
    });
  }
  if (error instanceof InvalidLocaleError) {
    return new UnprocessableContentProblem({
      code: error.code,
      title: 'Invalid locale',
      detail: 'locale must be a well-formed BCP 47 language tag such as "en" or "pt-BR".',
      errors: [{ pointer: '/locale', detail: 'is not a well-formed BCP 47 language tag' }],
    });
  }
  if (error instanceof ExternalIdImmutableError) {
    return new UnprocessableContentProblem({
      code: error.code,
      title: 'External id is immutable',
      detail: 'The external id is already set; it cannot be changed or removed through the API.',
      errors: [{ pointer: '/externalId', detail: 'cannot be changed once set' }],
    });
  }
  return undefined;
}
