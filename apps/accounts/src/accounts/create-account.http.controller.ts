import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { parseIdempotencyKey } from '../idempotency/idempotency-key';
import { principalOf } from '../api-keys/principal';
import { requestFingerprint } from '../idempotency/request-fingerprint';
import { REPLAYED_HEADER, StoredResponse } from '../idempotency/stored-response';
import { instanceOf } from '../problem-details/problem-details.filter';
import { accountLocation, respondWithAccount } from './account.response';
import { traceFromHeaders } from './account-events';
import { parseCreateAccountRequestOnce, validRequest } from './create-account.request';
import { CreateAccountService } from './create-account.service';
import { CreateAccountIdempotentlyService } from './create-account-idempotently.service';
import { RequiresScope } from '../api-keys/access.decorator';
import { ApiKeyScope } from '../api-keys/api-key-scope';

type RequestHeaders = Record<string, string | string[] | undefined>;

@Controller('v1/accounts')
export class CreateAccountHttpController {
  constructor(
    private readonly service: CreateAccountService,
    private readonly idempotently: CreateAccountIdempotentlyService,
  ) {}

  /**
   * 201 with Location and ETag; 400 names each bad field; 409 when the email is taken in any letter case.
   * With an Idempotency-Key, a retry gets the first response again (CreateAccountIdempotentlyService).
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
    const request = parseCreateAccountRequestOnce(body);
    const trace = traceFromHeaders(headers);
    if (key === undefined) {
      const account = await this.service.create(validRequest(request), trace);
      res.status(201).setHeader('Location', accountLocation(account.id));
      return respondWithAccount(res, account);
    }
    // Keys are scoped to the calling client, so two clients choosing the same key never see each other's responses.
    const claim = { clientScope: principalOf(req).clientId, key, fingerprint: requestFingerprint(body), token: randomUUID() };
    const { response, replayed } = await this.idempotently.create({ claim, request, trace, instance: instanceOf(req) });
    if (replayed) res.setHeader(REPLAYED_HEADER, 'true');
    return send(res, response);
  }
}

/** Status and headers set here; the body is returned for Nest to serialise. */
function send(res: Response, response: StoredResponse): unknown {
  res.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  return response.body;
}
