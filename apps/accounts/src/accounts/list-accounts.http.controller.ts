import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AccountResponse, toAccountResponse } from './account.response';
import { encodeCursor, parseListAccountsQuery } from './list-accounts.query';
import { ListAccountsService } from './list-accounts.service';
import { RequiresScope } from '../api-keys/access.decorator';
import { ApiKeyScope } from '../api-keys/api-key-scope';

export interface AccountListResponse {
  items: AccountResponse[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

@Controller('v1/accounts')
export class ListAccountsHttpController {
  constructor(private readonly service: ListAccountsService) {}

  @Get()
  @RequiresScope(ApiKeyScope.Read)
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response): Promise<AccountListResponse> {
    const page = await this.service.list(parseListAccountsQuery(query));
    res.setHeader('Cache-Control', 'no-store');
    return { items: page.items.map(toAccountResponse), nextCursor: page.next ? encodeCursor(page.next) : null };
  }
}
