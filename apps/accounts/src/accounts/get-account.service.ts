import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountEntity } from './account.entity';
import { AccountNotFoundError } from './account.errors';

@Injectable()
export class GetAccountService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Always on the primary, even with replicas: clients read an account right after creating or
   * changing it and send its ETag back in If-Match, so a lagging copy would answer 404 just after
   * 201, or an old version that turns their next PATCH into a 412. A lookup by primary key is
   * cheap; the load worth moving off the primary is the list scan.
   */
  async get(accountId: string): Promise<AccountEntity> {
    const account = await this.dataSource.manager.findOneBy(AccountEntity, { id: accountId });
    if (!account) throw new AccountNotFoundError(accountId);
    return account;
  }
}
