import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountEntity } from './account.entity';
import { Cursor, ListAccountsQuery } from './list-accounts.query';
import { readStaleTolerant } from '../database/stale-reads';

export interface AccountPage {
  readonly items: AccountEntity[];
  readonly next?: Cursor;
}

@Injectable()
export class ListAccountsService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Oldest first, by the (created_at, id) index; one extra row is read to know whether a next page exists.
   * Read from a replica when there is one: listing is the scan that loads the database, and a
   * list is a snapshot anyway, so missing a sign-up made in the last moments is acceptable.
   * Clients that must see their own write read it by id, which stays on the primary.
   */
  async list(query: ListAccountsQuery): Promise<AccountPage> {
    const rows = await readStaleTolerant(this.dataSource, (manager) => {
      const qb = manager
        .createQueryBuilder(AccountEntity, 'a')
        .orderBy('a.createdAt', 'ASC')
        .addOrderBy('a.id', 'ASC')
        .limit(query.limit + 1);
      // The unique index on email_normalized answers this; at most one row matches.
      if (query.email) qb.andWhere('a.emailNormalized = :email', { email: query.email });
      if (query.status) qb.andWhere('a.status = :status', { status: query.status });
      if (query.after) {
        qb.andWhere('(a.createdAt, a.id) > (:afterCreatedAt, :afterId)', { afterCreatedAt: query.after.createdAt, afterId: query.after.id });
      }
      return qb.getMany();
    });
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items, next: rows.length > query.limit && last ? { createdAt: last.createdAt, id: last.id } : undefined };
  }
}
