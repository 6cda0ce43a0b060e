import { Body, Controller, Headers, Post, Res, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import { AccountProblemsInterceptor } from './account-http-errors';
import { AccountResponse, accountLocation, respondWithAccount } from './account.response';
import { traceFromHeaders } from './account-events';
import { parseCreateAccountRequest } from './create-account.request';
import { CreateAccountService } from './create-account.service';

@Controller('v1/accounts')
@UseInterceptors(AccountProblemsInterceptor)
export class CreateAccountHttpController {
  constructor(private readonly service: CreateAccountService) {}

  /** 201 with Location and ETag; 400 names each bad field; 409 when the email is taken in any letter case. */
  @Post()
  async create(
    @Body() body: unknown,
    @Headers() headers: Record<string, string | string[] | undefined>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AccountResponse> {
    const request = parseCreateAccountRequest(body);
    const account = await this.service.create(request, traceFromHeaders(headers));
    res.status(201).setHeader('Location', accountLocation(account.id));
    return respondWithAccount(res, account);
  }
}
