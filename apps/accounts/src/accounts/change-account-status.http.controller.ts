import { Body, Controller, Delete, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AccountIdPipe } from './account-id.pipe';
import { AccountResponse, etagOf, respondWithAccount } from './account.response';
import { traceFromHeaders } from './account-events';
import { parseAccountTransitionRequest } from './account-transition.request';
import { ChangeAccountStatusService } from './change-account-status.service';
import { parseIfMatch } from './if-match';
import { RequiresScope } from '../api-keys/access.decorator';
import { ApiKeyScope } from '../api-keys/api-key-scope';

type RequestHeaders = Record<string, string | string[] | undefined>;

/**
 * Suspend, reactivate and close. If-Match is optional here (unlike PATCH): these are
 * idempotent in intent, and the state machine already refuses a move that no longer applies.
 * When sent, a stale one is refused with 412.
 */
@Controller('v1/accounts')
export class ChangeAccountStatusHttpController {
  constructor(private readonly service: ChangeAccountStatusService) {}

  @Post(':id/suspend')
  @RequiresScope(ApiKeyScope.Admin)
  @HttpCode(200)
  async suspend(
    @Param('id', AccountIdPipe) id: string,
    @Body() body: unknown,
    @Headers() headers: RequestHeaders,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AccountResponse> {
    const { reason } = parseAccountTransitionRequest(body);
    return respondWithAccount(res, await this.service.suspend(id, reason, parseIfMatch(headers['if-match']), traceFromHeaders(headers)));
  }

  @Post(':id/reactivate')
  @RequiresScope(ApiKeyScope.Admin)
  @HttpCode(200)
  async reactivate(
    @Param('id', AccountIdPipe) id: string,
    @Body() body: unknown,
    @Headers() headers: RequestHeaders,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AccountResponse> {
    const { reason } = parseAccountTransitionRequest(body);
    return respondWithAccount(res, await this.service.reactivate(id, reason, parseIfMatch(headers['if-match']), traceFromHeaders(headers)));
  }

  /** 204: the erased account is not echoed back; its new ETag is, for clients that track versions. */
  @Delete(':id')
  @RequiresScope(ApiKeyScope.Admin)
  @HttpCode(204)
  async close(@Param('id', AccountIdPipe) id: string, @Headers() headers: RequestHeaders, @Res({ passthrough: true }) res: Response): Promise<void> {
    const closed = await this.service.close(id, parseIfMatch(headers['if-match']), traceFromHeaders(headers));
    res.setHeader('ETag', etagOf(closed.version));
  }
}
