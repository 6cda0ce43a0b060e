import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BaseRpcExceptionFilter, Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Pool } from 'pg';
import { lastValueFrom, isObservable } from 'rxjs';
import { EventEnvelope, EventType, PermanentError, RetriableError, createEnvelope } from '@platform/contracts';
import { ConsumerRuntimeConfigError } from '../errors/runtime-errors';
import { EventRouter } from '../routing/event-router';
import { KafkaEventContext } from './event-context';
import { EventHandler } from './event-handler.decorator';
import { invokeNestHandler } from './invoke-nest-handler';
import { KafkaEventServer } from './kafka-event-server';
import type { KafkaEventServerOptions } from './kafka-event-server-options';

// Nest wiring without servers: init() registers the controllers' handlers on the strategy.

const calls: string[] = [];

@Controller()
class WiringController {
  @EventHandler(EventType.AccountCreated)
  async created(@Payload() event: EventEnvelope<typeof EventType.AccountCreated>, @Ctx() ctx: KafkaEventContext): Promise<void> {
    calls.push(`created:${event.data.accountId}:${ctx.attempt}`);
    if (event.data.plan === 'permanent') throw new PermanentError('nope', 'PLAN_REJECTED');
    if (event.data.plan === 'retriable') throw new RetriableError('later', 'PLAN_SERVICE_DOWN');
  }

  @EventPattern(EventType.AccountClosed)
  async closed(@Payload() event: EventEnvelope<typeof EventType.AccountClosed>): Promise<void> {
    calls.push(`closed:${event.data.accountId}`);
  }
}

@Module({ controllers: [WiringController] })
class WiringModule {}

const options: KafkaEventServerOptions = {
  consumer: { name: 'wiring', groupId: 'wiring', topics: ['t' as never], retryDelaysMs: [10] },
  kafka: { clientId: 'wiring', brokers: ['127.0.0.1:9'] },
  inbox: { pool: {} as Pool, schema: 'wiring' },
  logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
};

const accountId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const created = (plan: string) =>
  createEnvelope({
    type: EventType.AccountCreated,
    source: 'test',
    subject: accountId,
    data: { accountId, email: 'a@example.com', displayName: 'A', locale: 'en', plan, externalId: null, signupContext: { ip: null, userAgent: null }, createdAt: new Date().toISOString() },
  });
const context = new KafkaEventContext({ topic: 't', partition: 0, offset: '5', attempt: 2, groupId: 'wiring', headers: {} });

describe('KafkaEventServer in a Nest app', () => {
  let app: INestMicroservice;
  let server: KafkaEventServer;
  let router: EventRouter;

  beforeAll(async () => {
    server = new KafkaEventServer(options);
    app = await NestFactory.createMicroservice(WiringModule, { strategy: server, logger: false });
    await app.init();
    router = new EventRouter(server.getHandlers());
  });

  afterAll(() => app.close());

  it('routes each event type to the controller method declared for it', async () => {
    expect(router.eventTypes().sort()).toEqual([EventType.AccountClosed, EventType.AccountCreated].sort());
    await invokeNestHandler(router.handlerFor(EventType.AccountCreated)!, created('free'), context);
    expect(calls).toContain(`created:${accountId}:2`);
    expect(router.handlerFor(EventType.AccountActivated)).toBeUndefined();
  });

  it('hands the handler’s own error class and code to the runtime, through Nest’s exception layer', async () => {
    await expect(invokeNestHandler(router.handlerFor(EventType.AccountCreated)!, created('permanent'), context)).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'PLAN_REJECTED',
    });
    await expect(invokeNestHandler(router.handlerFor(EventType.AccountCreated)!, created('retriable'), context)).rejects.toBeInstanceOf(RetriableError);
  });

  it('leaves Nest’s default error handling alone for calls that are not this runtime’s', async () => {
    const result = new BaseRpcExceptionFilter().catch(new PermanentError('x'), { getArgByIndex: () => ({}) } as never);
    expect(isObservable(result)).toBe(true);
    await expect(lastValueFrom(result)).rejects.toEqual({ status: 'error', message: 'Internal server error' });
  });

  it('refuses unusable options up front, naming each problem', () => {
    expect(() => new KafkaEventServer({ ...options, inbox: { pool: {} as Pool, schema: 'bad-name"; drop' }, retry: { attempts: 0 } })).toThrow(ConsumerRuntimeConfigError);
    let thrown: unknown;
    try {
      new KafkaEventServer({ ...options, inbox: { pool: {} as Pool, schema: 'x y' }, partitionsConsumedConcurrently: 0 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConsumerRuntimeConfigError);
    expect((thrown as ConsumerRuntimeConfigError).problems).toEqual([expect.stringContaining('inbox.schema'), expect.stringContaining('partitionsConsumedConcurrently')]);
  });

  it('refuses an inbox retention that could forget ids of events still being retried', () => {
    let thrown: unknown;
    try {
      new KafkaEventServer({ ...options, inbox: { pool: {} as Pool, schema: 'ok', retentionMs: 60_000, pruneIntervalMs: 0 } });
    } catch (error) {
      thrown = error;
    }
    expect((thrown as ConsumerRuntimeConfigError).problems).toEqual([expect.stringContaining('inbox.retentionMs'), expect.stringContaining('inbox.pruneIntervalMs')]);
  });
});
