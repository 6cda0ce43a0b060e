// A consumer app for the replay specs: the real runtime on a throwaway declaration, with a
// handler that records every call and fails, permanently, for the accounts it is told to.
import { Controller, INestMicroservice, Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import type { Pool } from 'pg';
import { ConsumerDeclaration, EventEnvelope, EventType, PermanentError } from '@platform/contracts';
import { EventHandler, KafkaEventServer } from '@platform/consumer-runtime';
import type { EventContext } from '@platform/consumer-runtime';
import { silentLogger } from '@platform/observability';
import { testBrokers } from '@platform/testing';

export interface HandlerCall {
  readonly eventId: string;
  readonly subject: string;
  readonly topic: string;
  readonly failed: boolean;
}

@Injectable()
export class Recorder {
  readonly calls: HandlerCall[] = [];
  /** Accounts (subjects) whose events fail, until removed. */
  readonly failing = new Set<string>();

  handle(event: EventEnvelope, ctx: EventContext): void {
    const failed = this.failing.has(event.subject);
    this.calls.push({ eventId: event.id, subject: event.subject, topic: ctx.topic, failed });
    if (failed) throw new PermanentError('still broken', 'IT_BROKEN');
  }

  callsFor(eventId: string): HandlerCall[] {
    return this.calls.filter((c) => c.eventId === eventId);
  }
}

const RECORDER = Symbol('RECORDER');

@Controller()
class RecordingController {
  constructor(@Inject(RECORDER) private readonly recorder: Recorder) {}

  @EventHandler(EventType.AccountCreated)
  async onCreated(@Payload() event: EventEnvelope<typeof EventType.AccountCreated>, @Ctx() ctx: EventContext): Promise<void> {
    this.recorder.handle(event, ctx);
  }
}


export interface RecordingConsumer {
  readonly recorder: Recorder;
  close(): Promise<void>;
}

export async function startRecordingConsumer(consumer: ConsumerDeclaration, pool: Pool, schema: string): Promise<RecordingConsumer> {
  const recorder = new Recorder();
  @Module({ controllers: [RecordingController], providers: [{ provide: RECORDER, useValue: recorder }] })
  class RecordingModule {}
  const server = new KafkaEventServer({
    consumer,
    kafka: { clientId: consumer.name, brokers: testBrokers() },
    inbox: { pool, schema },
    retry: { attempts: 1 },
    fetchMaxWaitMs: 100,
    logger: silentLogger,
  });
  const app: INestMicroservice = await NestFactory.createMicroservice(RecordingModule, { strategy: server, logger: false });
  await app.listen();
  return { recorder, close: () => app.close() };
}
