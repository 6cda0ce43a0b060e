import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AccountIdPipe } from './account-id.pipe';
import { AccountResponse, respondWithAccount } from './account.response';
import { GetAccountService } from './get-account.service';
import { RequiresScope } from '../api-keys/access.decorator';
import { ApiKeyScope } from '../api-keys/api-key-scope';

@Controller('v1/accounts')
export class GetAccountHttpController {
  constructor(private readonly service: GetAccountService) {}

  /** 200 with ETag; 404 when absent; 400 when the id is not a UUID. A closed account is shown erased. */
  @Get(':id')
  @RequiresScope(ApiKeyScope.Read)
  async get(@Param('id', AccountIdPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<AccountResponse> {
    return respondWithAccount(res, await this.service.get(id));
  }
}
