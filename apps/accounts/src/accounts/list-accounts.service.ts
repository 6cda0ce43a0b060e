import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountEntity } from './account.entity';
import { Cursor, ListAccountsQuery } from './list-accounts.query';

export interface AccountPage {
  readonly items: AccountEntity[];
  readonly next?: Cursor;
}

@Injectable()
export class ListAccountsService {
  constructor(private readonly dataSource: DataSource) {}

  /** Oldest first, by the (created_at, id) index; one extra row is read to know whether a next page exists. */
  async list(query: ListAccountsQuery): Promise<AccountPage> {
    const qb = this.dataSource.manager
      .createQueryBuilder(AccountEntity, 'a')
      .orderBy('a.createdAt', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .limit(query.limit + 1);
    if (query.status) qb.andWhere('a.status = :status', { status: query.status });
    if (query.after) {
      qb.andWhere('(a.createdAt, a.id) > (:afterCreatedAt, :afterId)', { afterCreatedAt: query.after.createdAt, afterId: query.after.id });
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items, next: rows.length > query.limit && last ? { createdAt: last.createdAt, id: last.id } : undefined };
  }
}
