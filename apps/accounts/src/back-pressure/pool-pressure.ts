import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

interface PgPoolCounts {
  readonly waitingCount: number;
}

/**
 * How many queries are queued for a connection of the primary's pool right now. pg's Pool keeps
 * the count; TypeORM exposes the pool as the driver's `master` with or without replicas.
 */
@Injectable()
export class PoolPressure {
  constructor(private readonly dataSource: DataSource) {}

  get waiting(): number {
    const pool = (this.dataSource.driver as unknown as { master?: PgPoolCounts }).master;
    return pool?.waitingCount ?? 0;
  }
}
