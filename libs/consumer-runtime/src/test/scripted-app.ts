// A minimal Nest microservice for the integration specs: handlers whose behaviour each spec
// scripts per event id, and a table of side effects to count.
import { Controller, INestMicroservice, Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Pool } from 'pg';
import { EventEnvelope, EventType, PermanentError, RetriableError } from '@platform/contracts';
import type { EventContext } from '../server/event-context';
import { EventHandler } from '../server/event-handler.decorator';
import { KafkaEventServer } from '../server/kafka-event-server';
import type { KafkaEventServerOptions } from '../server/kafka-event-server-options';

export const TEST_POOL = Symbol('TEST_POOL');

export type Behaviour = (event: EventEnvelope, ctx: EventContext) => Promise<void> | void;

export interface HandlerCall {
  readonly eventId: string;
  readonly type: string;
  readonly attempt: number;
  readonly topic: string;
  readonly headers: Readonly<Record<string, string>>;
}

@Injectable()
export class Script {
  readonly calls: HandlerCall[] = [];
  private readonly behaviours = new Map<string, Behaviour>();

  set(eventId: string, behaviour: Behaviour): void {
    this.behaviours.set(eventId, behaviour);
  }

  callsFor(eventId: string): HandlerCall[] {
    return this.calls.filter((c) => c.eventId === eventId);
  }

  async run(event: EventEnvelope, ctx: EventContext): Promise<void> {
    this.calls.push({ eventId: event.id, type: event.type, attempt: ctx.attempt, topic: ctx.topic, headers: ctx.headers });
    await this.behaviours.get(event.id)?.(event, ctx);
  }
}

/** Fails `times` times with the given error, then lets the handler's side effect happen. */
export function failTimes(times: number, makeError: () => Error = () => new RetriableError('dependency timed out', 'TEST_TIMEOUT')): Behaviour {
  let failures = 0;
  return () => {
    if (failures < times) {
      failures += 1;
      throw makeError();
    }
  };
}

export const alwaysFail = (code = 'TEST_DOWN'): Behaviour => () => {
  throw new RetriableError('dependency down', code);
};

export const failPermanently = (code = 'TEST_REJECTED'): Behaviour => () => {
  throw new PermanentError('rejected for good', code);
};

@Controller()
class ScriptedController {
  constructor(
    @Inject(Script) private readonly script: Script,
    @Inject(TEST_POOL) private readonly pool: Pool,
  ) {}

  // The typed decorator: the handler may declare its EventContext.
  @EventHandler(EventType.AccountCreated)
  async onCreated(@Payload() event: EventEnvelope<typeof EventType.AccountCreated>, @Ctx() ctx: EventContext): Promise<void> {
    await this.handle(event, ctx);
  }

  // Stock @EventPattern works too; Nest 12's typing only lets the context through as unknown.
  @EventPattern(EventType.AccountActivated)
  async onActivated(@Payload() event: EventEnvelope<typeof EventType.AccountActivated>, @Ctx() ctx: unknown): Promise<void> {
    await this.handle(event, ctx as EventContext);
  }

  private async handle(event: EventEnvelope, ctx: EventContext): Promise<void> {
    await this.script.run(event, ctx);
    await this.pool.query('INSERT INTO test_effects (event_id, subject, event_type) VALUES ($1, $2, $3)', [event.id, event.subject, event.type]);
  }
}

export async function createEffectsTable(pool: Pool): Promise<void> {
  await pool.query('CREATE TABLE test_effects (seq bigserial PRIMARY KEY, event_id text NOT NULL, subject text NOT NULL, event_type text NOT NULL)');
}

export async function effects(pool: Pool, subject?: string): Promise<{ event_id: string; event_type: string }[]> {
  const { rows } = await pool.query(
    `SELECT event_id, event_type FROM test_effects ${subject ? 'WHERE subject = $1' : ''} ORDER BY seq`,
    subject ? [subject] : [],
  );
  return rows;
}

export interface RunningApp {
  readonly app: INestMicroservice;
  readonly server: KafkaEventServer;
  readonly script: Script;
}

export async function startScriptedApp(options: KafkaEventServerOptions): Promise<RunningApp> {
  @Module({ controllers: [ScriptedController], providers: [Script, { provide: TEST_POOL, useValue: options.inbox.pool }] })
  class ScriptedModule {}

  const server = new KafkaEventServer(options);
  const app = await NestFactory.createMicroservice(ScriptedModule, { strategy: server, logger: false });
  await app.listen();
  return { app, server, script: app.get(Script) };
}
