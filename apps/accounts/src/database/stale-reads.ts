import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `read` on a streaming replica when REPLICA_DATABASE_URLS names any, else on the primary.
 * Only for reads whose callers accept data a little behind the last commit (replication lag,
 * usually milliseconds): the primary stays the only place that sees every write at once.
 *
 * The data source sends everything else to the primary (see data-source.ts), so a read reaches
 * a replica only by passing through here. The manager is bound to one replica connection, which
 * is returned to its pool when `read` settles; it must not be kept or used for writes, which a
 * replica refuses.
 */
export async function readStaleTolerant<T>(dataSource: DataSource, read: (manager: EntityManager) => Promise<T>): Promise<T> {
  // Without replicas TypeORM gives 'slave' runners a primary connection, so no branch is needed here.
  const queryRunner = dataSource.createQueryRunner('slave');
  try {
    return await read(queryRunner.manager);
  } finally {
    await queryRunner.release();
  }
}
