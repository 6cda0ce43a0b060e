import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IdempotencyClaim, IdempotencyClaimLostError, IdempotencyKeyStore } from '../idempotency/idempotency-key.store';
import { parseIdempotencyKey } from '../idempotency/idempotency-key';
import { principalOf } from '../api-keys/principal';
import { requestFingerprint } from '../idempotency/request-fingerprint';
import { REPLAYED_HEADER, StoredResponse } from '../idempotency/stored-response';
import { HttpProblem } from '../problem-details/http-problems';
import { instanceOf } from '../problem-details/problem-details.filter';
import { accountProblem } from './account-http-errors';
import { AccountEntity } from './account.entity';
import { AccountResponse, accountLocation, etagOf, respondWithAccount, toAccountResponse } from './account.response';
import { traceFromHeaders } from './account-events';
import { parseCreateAccountRequest } from './create-account.request';
import { CreateAccountService } from './create-account.service';
import { RequiresScope } from '../api-keys/access.decorator';
import { ApiKeyScope } from '../api-keys/api-key-scope';

type RequestHeaders = Record<string, string | string[] | undefined>;

@Controller('v1/accounts')
export class CreateAccountHttpController {
  constructor(
    private readonly service: CreateAccountService,
    private readonly idempotencyKeys: IdempotencyKeyStore,
  ) {}

  /**
   * 201 with Location and ETag; 400 names each bad field; 409 when the email is taken in any letter case.
   * With an Idempotency-Key, a retry gets the first response again (see idempotent()).
   */
  @Post()
  @RequiresScope(ApiKeyScope.Write)
  async create(
    @Body() body: unknown,
    @Headers() headers: RequestHeaders,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const key = parseIdempotencyKey(headers['idempotency-key']);
    if (key !== undefined) {
      // Keys are scoped to the calling client, so two clients choosing the same key never see each other's responses.
      const claim = { clientScope: principalOf(req).clientId, key, fingerprint: requestFingerprint(body), token: randomUUID() };
      return this.idempotent(claim, body, headers, req, res);
    }
    const account = await this.service.create(parseCreateAccountRequest(body), traceFromHeaders(headers));
    res.status(201).setHeader('Location', accountLocation(account.id));
    return respondWithAccount(res, account);
  }

  /**
   * A key seen for the first time costs nothing extra: the sign-up's own statement stores it,
   * completed, with the response. When the key exists, or the sign-up is refused, the request
   * goes the claim way, which replays what is stored or stores the refusal so that it replays.
   * A failure (5xx) is answered at once: the statement wrote nothing and no key is held, so the
   * client's retry runs afresh, and under overload the refusal is not paid for twice.
   */
  private async idempotent(claim: IdempotencyClaim, body: unknown, headers: RequestHeaders, req: Request, res: Response): Promise<unknown> {
    let refusal: HttpProblem | undefined;
    try {
      let response: StoredResponse | undefined;
      await this.service.create(parseCreateAccountRequest(body), traceFromHeaders(headers), {
        precondition: (created) => this.idempotencyKeys.firstUse(claim, (response = createdResponse(created))),
        unmet: () => new KeyAlreadyUsed(),
      });
      return send(res, response!);
    } catch (error) {
      if (!(error instanceof KeyAlreadyUsed)) {
        refusal = error instanceof HttpProblem ? error : accountProblem(error);
        if (refusal === undefined || refusal.status >= 500) throw error;
      }
    }
    return this.claimed(claim, body, headers, req, res, refusal);
  }

  /**
   * The request claims the key, then signs up and stores its response in the same statement as
   * the account and its event. A 4xx is stored too (the same request would be refused the same
   * way again; `refusal` is one the first try already met); an unexpected failure releases the
   * key so the retry runs afresh.
   */
  private async claimed(claim: IdempotencyClaim, body: unknown, headers: RequestHeaders, req: Request, res: Response, refusal?: HttpProblem): Promise<unknown> {
    const outcome = await this.idempotencyKeys.claim(claim);
    if (outcome.kind === 'replay') return replay(res, outcome.response);
    if (refusal) {
      await this.idempotencyKeys.complete(claim, problemResponse(refusal, instanceOf(req)));
      throw refusal;
    }

    let account: AccountEntity;
    try {
      account = await this.service.create(parseCreateAccountRequest(body), traceFromHeaders(headers), {
        precondition: (created) => this.idempotencyKeys.completion(claim, createdResponse(created)),
        unmet: () => new IdempotencyClaimLostError(),
      });
    } catch (error) {
      const problem = error instanceof HttpProblem ? error : accountProblem(error);
      if (problem === undefined || problem.status >= 500) {
        await this.idempotencyKeys.release(claim);
        throw error;
      }
      await this.idempotencyKeys.complete(claim, problemResponse(problem, instanceOf(req)));
      throw problem;
    }
    return send(res, createdResponse(account));
  }
}

/** The key was in the table when the one-statement sign-up ran: it wrote nothing. */
class KeyAlreadyUsed extends Error {}

/** Exactly what the first request was answered, marked as a replay. */
function replay(res: Response, stored: StoredResponse): unknown {
  res.setHeader(REPLAYED_HEADER, 'true');
  return send(res, stored);
}

/** Status and headers set here; the body is returned for Nest to serialise. */
function send(res: Response, response: StoredResponse): unknown {
  res.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  return response.body;
}

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
