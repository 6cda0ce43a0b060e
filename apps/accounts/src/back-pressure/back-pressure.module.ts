import { Module } from '@nestjs/common';
import { BackPressureGuard } from './back-pressure.guard';
import { OutboxBacklogMonitor } from './outbox-backlog.monitor';
import { PoolPressure } from './pool-pressure';

@Module({ providers: [PoolPressure, OutboxBacklogMonitor, BackPressureGuard], exports: [BackPressureGuard, OutboxBacklogMonitor] })
export class BackPressureModule {}
