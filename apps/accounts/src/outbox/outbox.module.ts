import { Global, Module } from '@nestjs/common';
import { OutboxWakeups } from './outbox-wakeups';

@Global()
@Module({ providers: [OutboxWakeups], exports: [OutboxWakeups] })
export class OutboxModule {}
