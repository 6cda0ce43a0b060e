// A consumer app started the way the platform's apps start, through runConsumer, for the entry
// point's spec: `node -r @swc-node/register entry-consumer.ts '<ConsumerDeclaration as JSON>'`,
// configured by the environment like any app. Its handler notes when it starts and finishes each
// event in entry_calls (ENTRY_CALLS_SQL), taking ENTRY_HANDLER_DELAY_MS in between, so a stop can
// land while a record is in flight; ENTRY_FAIL_START=true makes its start fail after it opened something.
import 'reflect-metadata';
import { Controller, DynamicModule, Inject, Module } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { Pool } from 'pg';
import { ConsumerDeclaration, EventEnvelope, EventType } from '@platform/contracts';
import { runConsumer } from '../entry/run-consumer';
import { EventHandler } from '../server/event-handler.decorator';

export const ENTRY_CALLS_SQL = 'CREATE TABLE entry_calls (seq bigserial PRIMARY KEY, event_id text NOT NULL, phase text NOT NULL)';
export const ENTRY_INBOX_SCHEMA = 'entry_inbox';
export const RELEASED_LINE = 'entry consumer released its resources';
export const START_FAILURE = 'entry consumer refused to start (ENTRY_FAIL_START)';

const POOL = Symbol('POOL');
const DELAY = Symbol('DELAY');

@Controller()
class EntryController {
  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(DELAY) private readonly delayMs: number,
  ) {}

  @EventHandler(EventType.AccountCreated)
  async onCreated(@Payload() event: EventEnvelope<typeof EventType.AccountCreated>): Promise<void> {
    await this.pool.query("INSERT INTO entry_calls (event_id, phase) VALUES ($1, 'started')", [event.id]);
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    await this.pool.query("INSERT INTO entry_calls (event_id, phase) VALUES ($1, 'finished')", [event.id]);
  }
}

@Module({})
class EntryModule {
  static register(pool: Pool, delayMs: number): DynamicModule {
    return {
      module: EntryModule,
      controllers: [EntryController],
      providers: [
        { provide: POOL, useValue: pool },
        { provide: DELAY, useValue: delayMs },
      ],
    };
  }
}

if (require.main === module) {
  void runConsumer({
    consumer: JSON.parse(process.argv[2]) as ConsumerDeclaration,
    inboxSchema: ENTRY_INBOX_SCHEMA,
    healthPort: 0,
    settings: (reader) => ({
      handlerDelayMs: reader.int('ENTRY_HANDLER_DELAY_MS', 0, { min: 0, max: 60_000 }),
      failStart: reader.bool('ENTRY_FAIL_START', false),
    }),
    start: async ({ settings, inboxPool, releaseOnStop }) => {
      releaseOnStop(() => console.log(JSON.stringify({ level: 'info', msg: RELEASED_LINE })));
      if (settings.failStart) throw new Error(START_FAILURE);
      return { module: EntryModule.register(inboxPool, settings.handlerDelayMs), server: { fetchMaxWaitMs: 100 }, summary: `handler delay ${settings.handlerDelayMs} ms` };
    },
  });
}
