import { Body, Controller, Headers, Param, Patch, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AccountIdPipe } from './account-id.pipe';
import { AccountResponse, respondWithAccount } from './account.response';
import { traceFromHeaders } from './account-events';
import { requireIfMatch } from './if-match';
import { parseUpdateAccountRequest } from './update-account.request';
import { UpdateAccountService } from './update-account.service';
import { RequiresScope } from '../api-keys/access.decorator';
import { ApiKeyScope } from '../api-keys/api-key-scope';

@Controller('v1/accounts')
export class UpdateAccountHttpController {
  constructor(private readonly service: UpdateAccountService) {}

  /** 200 with the new ETag; 428 without If-Match; 412 when it is stale; 409 on a closed account. */
  @Patch(':id')
  @RequiresScope(ApiKeyScope.Write)
  async update(
    @Param('id', AccountIdPipe) id: string,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | string[] | undefined>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AccountResponse> {
    // Precondition before body: a client that forgot If-Match learns that first, whatever its body.
    const precondition = requireIfMatch(headers['if-match']);
    const patch = parseUpdateAccountRequest(body);
    return respondWithAccount(res, await this.service.update(id, patch, precondition, traceFromHeaders(headers)));
  }
}
