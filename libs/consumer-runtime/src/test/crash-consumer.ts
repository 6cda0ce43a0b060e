// A consumer app for the crash specs, run as a real process: `node -r @swc-node/register
// crash-consumer.ts '<CrashConsumerSpec as JSON>'`. Its handler's side effect is idempotent by
// event id (the kind the runtime's docs ask for), and it also logs every call, so a spec can tell
// what the inbox spared from what the side effect's own key absorbed.
import 'reflect-metadata';
import { Controller, DynamicModule, Inject, Module } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Pool } from 'pg';
import { ConsumerDeclaration, EventEnvelope, EventType } from '@platform/contracts';
import { jsonLineLogger } from '../logging/runtime-logger';
import { EventHandler } from '../server/event-handler.decorator';
import { runConsumerApp } from '../server/run-consumer-app';

export interface CrashConsumerSpec {
  readonly declaration: ConsumerDeclaration;
  readonly brokers: string[];
  readonly databaseUrl: string;
  readonly inboxSchema: string;
  /** How long each handler call takes, so a kill lands while records are in flight. */
  readonly handlerDelayMs: number;
}

export const CRASH_TABLES_SQL = [
  // Every handler call, duplicates included.
  'CREATE TABLE crash_calls (seq bigserial PRIMARY KEY, event_id text NOT NULL, pid integer NOT NULL)',
  // The side effect: once per event whatever happens, in the order the events were handled.
  'CREATE TABLE crash_effects (seq bigserial PRIMARY KEY, event_id text NOT NULL UNIQUE, account_id text NOT NULL, position integer NOT NULL)',
];

const POOL = Symbol('POOL');
const DELAY = Symbol('DELAY');

/** The event's place in its account's sequence travels in the display name: "position 7". */
export function positionOf(event: EventEnvelope<typeof EventType.AccountCreated>): number {
  return Number(event.data.displayName.replace('position ', ''));
}

@Controller()
class CrashController {
  constructor(
    @Inject(POOL) private readonly pool: Pool,
    @Inject(DELAY) private readonly delayMs: number,
  ) {}

  @EventHandler(EventType.AccountCreated)
  async onCreated(@Payload() event: EventEnvelope<typeof EventType.AccountCreated>): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    await this.pool.query('INSERT INTO crash_calls (event_id, pid) VALUES ($1, $2)', [event.id, process.pid]);
    await this.pool.query('INSERT INTO crash_effects (event_id, account_id, position) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING', [
      event.id,
      event.subject,
      positionOf(event),
    ]);
  }
}

@Module({})
class CrashModule {
  static register(pool: Pool, delayMs: number): DynamicModule {
    return {
      module: CrashModule,
      controllers: [CrashController],
      providers: [
        { provide: POOL, useValue: pool },
        { provide: DELAY, useValue: delayMs },
      ],
    };
  }
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as CrashConsumerSpec;
  const pool = new Pool({ connectionString: spec.databaseUrl, max: 8 });
  await runConsumerApp({
    module: CrashModule.register(pool, spec.handlerDelayMs),
    server: {
      consumer: spec.declaration,
      kafka: { clientId: spec.declaration.name, brokers: spec.brokers },
      inbox: { pool, schema: spec.inboxSchema },
      fetchMaxWaitMs: 100,
      logger: jsonLineLogger({ level: 'warn' }),
    },
    release: () => pool.end(),
  });
  console.log(JSON.stringify({ level: 'info', msg: 'crash consumer started', pid: process.pid }));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
