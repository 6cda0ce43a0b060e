import { Injectable } from '@nestjs/common';
import { IdempotencyClaim, IdempotencyClaimLostError, IdempotencyKeyStore } from '../idempotency/idempotency-key.store';
import { StoredResponse } from '../idempotency/stored-response';
import { HttpProblem } from '../problem-details/http-problems';
import { accountProblem } from './account-http-errors';
import { AccountEntity } from './account.entity';
import { AccountResponse, accountLocation, etagOf, toAccountResponse } from './account.response';
import { TraceContext } from './account-events';
import { ParsedCreateAccountRequest, validRequest } from './create-account.request';
import { CreateAccountService } from './create-account.service';

export interface IdempotentSignup {
  readonly claim: IdempotencyClaim;
  readonly request: ParsedCreateAccountRequest;
  readonly trace: TraceContext;
  /** The request's path, the `instance` of a stored problem document. */
  readonly instance: string;
}

export interface IdempotentSignupAnswer {
  readonly response: StoredResponse;
  /** The response stored by an earlier request with the same key, answered again. */
  readonly replayed: boolean;
}

/**
 * A sign-up under an Idempotency-Key: a retry gets the first response again. Refusals (4xx) are
 * answered by throwing the problem, after it is stored under the key.
 */
@Injectable()
export class CreateAccountIdempotentlyService {
  constructor(
    private readonly accounts: CreateAccountService,
    private readonly idempotencyKeys: IdempotencyKeyStore,
  ) {}

  /**
   * A key seen for the first time costs nothing extra: the sign-up's own statement stores it,
   * completed, with the response. When the key exists, or the sign-up is refused, the request
   * goes the claim way, which replays what is stored or stores the refusal so that it replays.
   * A failure (5xx) is answered at once: the statement wrote nothing and no key is held, so the
   * client's retry runs afresh, and under overload the refusal is not paid for twice.
   */
  async create(signup: IdempotentSignup): Promise<IdempotentSignupAnswer> {
    const { claim, request, trace } = signup;
    let refusal: HttpProblem | undefined;
    try {
      let response: StoredResponse | undefined;
      await this.accounts.create(validRequest(request), trace, {
        precondition: (created) => this.idempotencyKeys.firstUse(claim, (response = createdResponse(created))),
        unmet: () => new KeyAlreadyUsed(),
      });
      return { response: response!, replayed: false };
    } catch (error) {
      if (!(error instanceof KeyAlreadyUsed)) {
        refusal = error instanceof HttpProblem ? error : accountProblem(error);
        if (refusal === undefined || refusal.status >= 500) throw error;
      }
    }
    return this.claimed(signup, refusal);
  }

  /**
   * The request claims the key, then signs up and stores its response in the same statement as
   * the account and its event. A 4xx is stored too (the same request would be refused the same
   * way again; `refusal` is one the first try already met); an unexpected failure releases the
   * key so the retry runs afresh.
   */
  private async claimed({ claim, request, trace, instance }: IdempotentSignup, refusal?: HttpProblem): Promise<IdempotentSignupAnswer> {
    const outcome = await this.idempotencyKeys.claim(claim);
    if (outcome.kind === 'replay') return { response: outcome.response, replayed: true };
    if (refusal) {
      await this.idempotencyKeys.complete(claim, problemResponse(refusal, instance));
      throw refusal;
    }

    let account: AccountEntity;
    try {
      account = await this.accounts.create(validRequest(request), trace, {
        precondition: (created) => this.idempotencyKeys.completion(claim, createdResponse(created)),
        unmet: () => new IdempotencyClaimLostError(),
      });
    } catch (error) {
      const problem = error instanceof HttpProblem ? error : accountProblem(error);
      if (problem === undefined || problem.status >= 500) {
        await this.idempotencyKeys.release(claim);
        throw error;
      }
      await this.idempotencyKeys.complete(claim, problemResponse(problem, instance));
      throw problem;
    }
    return { response: createdResponse(account), replayed: false };
  }
}

/** The key was in the table when the one-statement sign-up ran: it wrote nothing. */
class KeyAlreadyUsed extends Error {}

function createdResponse(account: AccountEntity): StoredResponse {
  const body: AccountResponse = toAccountResponse(account);
  return {
    status: 201,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      Location: accountLocation(account.id),
      ETag: etagOf(account.version),
      'Cache-Control': 'no-store',
    },
    body,
  };
}

/** The problem document as ProblemDetailsFilter renders it, so first answer and replay match. */
function problemResponse(problem: HttpProblem, instance: string): StoredResponse {
  return {
    status: problem.status,
    headers: problem.responseHeaders(),
    body: problem.toDocument(instance),
  };
}
