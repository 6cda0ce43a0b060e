import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountEntity } from './account.entity';
import { AccountNotFoundError } from './account.errors';

@Injectable()
export class GetAccountService {
  constructor(private readonly dataSource: DataSource) {}

  async get(accountId: string): Promise<AccountEntity> {
    const account = await this.dataSource.manager.findOneBy(AccountEntity, { id: accountId });
    if (!account) throw new AccountNotFoundError(accountId);
    return account;
  }
}
