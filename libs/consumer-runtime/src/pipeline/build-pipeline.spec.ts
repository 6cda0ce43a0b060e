import type { KafkaMessage } from 'kafkajs';
import type { MessageHandler } from '@nestjs/microservices';
import { ConsumerDeclaration, createEnvelope, DeadLetterHeader, EventType, encodeEnvelope, PermanentError, RetriableError, retryTopicName, stringHeaders, TopicName } from '@platform/contracts';
import { FailureForwarder, ForwardOptions } from '../dead-letter/failure-forwarder';
import { InboxStore, InTransaction } from '../inbox/inbox-store';
import { OrderingMode } from '../ordering/ordering-mode';
import { ParkedKeys, ParkedRecord } from '../ordering/parked-keys';
import { EventRouter } from '../routing/event-router';
import { TopicRoutes } from '../routing/topic-routes';
import type { EventContext } from '../server/event-context';
import { buildPipeline } from './build-pipeline';
import type { PipelineDeps } from './pipeline-deps';
import { Outcome, RecordJob, isSettled } from './record-job';
import { DEAD_LETTER_RETRY_DELAY_MS } from './dead-letter';
import { RETRY_NOT_BEFORE_MARGIN_MS } from './due';
import { FailureForwardError } from '../errors/runtime-errors';

// The whole middleware chain, as the server builds it, over in-memory fakes of its stores.

const ACCOUNT = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const SOURCE = 'src' as TopicName;
const declaration: ConsumerDeclaration = { name: 'c', groupId: 'g', topics: [SOURCE], retryDelaysMs: [300, 600] };
const routes = new TopicRoutes(declaration);

class FakeParkedKeys {
  rows: ParkedRecord[] = [];
  async head(_g: string, _t: string, key: string) {
    const rows = this.rows.filter((r) => r.key === key).sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)));
    return rows[0] ? { partition: rows[0].partition, offset: rows[0].offset } : undefined;
  }
  async park(record: ParkedRecord) {
    if (!this.rows.some((r) => r.partition === record.partition && r.offset === record.offset)) this.rows.push(record);
  }
  async release(record: { partition: number; offset: string }) {
    this.rows = this.rows.filter((r) => !(r.partition === record.partition && r.offset === record.offset));
  }
  async releaseOlderThan(_g: string, _t: string, key: string, offset: string) {
    const before = this.rows.length;
    this.rows = this.rows.filter((r) => !(r.key === key && BigInt(r.offset) < BigInt(offset)));
    return before - this.rows.length;
  }
}

class FakeInbox {
  readonly claimed = new Set<string>();
  async runOnce(entry: { eventId: string }, handler: () => Promise<void>, also: readonly InTransaction[] = []) {
    if (this.claimed.has(entry.eventId)) {
      for (const work of also) await work(undefined as never);
      return 'duplicate' as const;
    }
    await handler();
    for (const work of also) await work(undefined as never);
    this.claimed.add(entry.eventId);
    return 'processed' as const;
  }
}

class FakeForwarder {
  readonly sent: { destination: string; options: ForwardOptions; attempts: number }[] = [];
  failNext = false;
  failWith?: Error;
  async forward(job: RecordJob, destination: string, options: ForwardOptions) {
    if (this.failNext) throw new Error('broker unavailable');
    if (this.failWith) throw this.failWith;
    this.sent.push({ destination, options, attempts: job.attempts });
  }
}

function setup(behaviour: (event: unknown, ctx: EventContext) => Promise<void> | void, ordering: OrderingMode = 'park') {
  const parked = new FakeParkedKeys();
  const inbox = new FakeInbox();
  const forwarder = new FakeForwarder();
  const shutdown = new AbortController();
  const scheduled: number[] = [];
  const calls: EventContext[] = [];
  const handler: MessageHandler = Object.assign(async (event: unknown, ctx: EventContext) => {
    calls.push(ctx);
    await behaviour(event, ctx);
  }, { isEventHandler: true });
  const deps: PipelineDeps = {
    groupId: 'g',
    routes,
    router: new EventRouter(new Map([[EventType.AccountCreated, handler]])),
    inbox: inbox as unknown as InboxStore,
    parked: parked as unknown as ParkedKeys,
    forwarder: forwarder as unknown as FailureForwarder,
    retryPolicy: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    ordering,
    hooks: {},
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    shutdown: shutdown.signal,
    schedule: (ms) => scheduled.push(ms),
    invoke: async (h, event, ctx) => {
      await h(event, ctx);
    },
    now: Date.now,
  };
  return { step: buildPipeline(deps), parked, inbox, forwarder, shutdown, scheduled, calls };
}

const event = createEnvelope({
  type: EventType.AccountCreated,
  source: 'test',
  subject: ACCOUNT,
  data: { accountId: ACCOUNT, email: 'a@example.com', displayName: 'A', locale: 'en', plan: 'free', externalId: null, signupContext: { ip: null, userAgent: null }, createdAt: new Date().toISOString() },
});

function job(options: { stage?: number; offset?: string; headers?: Record<string, string>; value?: Buffer; originOffset?: string } = {}): RecordJob & { paused: number } {
  const stage = options.stage ?? 0;
  const encoded = encodeEnvelope(event);
  const topic = stage === 0 ? SOURCE : retryTopicName(SOURCE, 'g', stage);
  const message = { key: Buffer.from(ACCOUNT), value: options.value ?? encoded.value, headers: { ...encoded.headers, ...options.headers }, offset: options.offset ?? '10', timestamp: '0' } as unknown as KafkaMessage;
  const state = { paused: 0 };
  return Object.assign(state, {
    message,
    route: routes.routeOf(topic),
    partition: 0,
    headers: stringHeaders(message.headers),
    origin: { topic: SOURCE, partition: 0, offset: options.originOffset ?? options.offset ?? '10', timestamp: '0' },
    key: ACCOUNT,
    startedAt: Date.now(),
    heartbeat: async () => undefined,
    pausePartition: () => {
      state.paused += 1;
      return () => undefined;
    },
    attemptsBefore: 0,
    attempts: 0,
    inTransaction: [],
  });
}

describe('the record pipeline', () => {
  it('processes a valid event and records it in the inbox', async () => {
    const { step, inbox, calls } = setup(() => undefined);
    expect(await step(job())).toEqual<Outcome>({ kind: 'processed' });
    expect(inbox.claimed.has(event.id)).toBe(true);
    expect(calls[0]).toMatchObject({ topic: SOURCE, partition: 0, offset: '10', attempt: 1, groupId: 'g' });
  });

  it('dead-letters bytes that are not an event without calling a handler', async () => {
    const { step, forwarder, calls } = setup(() => undefined);
    const outcome = await step(job({ value: Buffer.from('{not json') }));
    expect(outcome).toMatchObject({ kind: 'dead-lettered', destination: routes.deadLetterTopic(SOURCE) });
    expect(calls).toHaveLength(0);
    expect(forwarder.sent).toHaveLength(1);
  });

  it('dead-letters a well-formed event whose type the contracts catalog does not know', async () => {
    const { step, forwarder, calls } = setup(() => undefined);
    for (const type of ['account.renamed.v9', 'account.created.v9', '']) {
      const outcome = await step(job({ headers: { ce_type: type } }));
      expect(outcome).toMatchObject({ kind: 'dead-lettered', destination: routes.deadLetterTopic(SOURCE) });
      // An empty ce_type is a missing header; anything else is an unknown type.
      expect((outcome as { error: { code: string } }).error.code).toBe(type === '' ? 'EVENT_HEADER_MISSING' : 'EVENT_TYPE_UNKNOWN');
    }
    expect(forwarder.sent).toHaveLength(3);
    expect(calls).toHaveLength(0);
  });

  it('skips, without dead-lettering, a known type this app has no handler for', async () => {
    const { step, forwarder, calls } = setup(() => undefined);
    const updated = encodeEnvelope(createEnvelope({ type: EventType.AccountActivated, source: 'test', subject: ACCOUNT, data: { accountId: ACCOUNT, activatedAt: new Date().toISOString() } }));
    expect(await step(job({ headers: updated.headers, value: updated.value }))).toEqual<Outcome>({ kind: 'ignored', reason: 'no-handler' });
    expect(forwarder.sent).toHaveLength(0);
    expect(calls).toHaveLength(0);
  });

  it('dead-letters a record carrying a CloudEvents header twice with different values, and processes identical copies', async () => {
    const { step, forwarder, calls } = setup(() => undefined);
    const encoded = encodeEnvelope(event);
    const conflicting = job();
    (conflicting.message as { headers: unknown }).headers = { ...encoded.headers, ce_type: [EventType.AccountCreated, 'account.closed.v1'] };
    const outcome = await step(conflicting);
    expect(outcome).toMatchObject({ kind: 'dead-lettered' });
    expect((outcome as { error: { code: string } }).error.code).toBe('EVENT_HEADER_CONFLICT');
    const identical = job({ offset: '11' });
    (identical.message as { headers: unknown }).headers = { ...encoded.headers, ce_id: [event.id, Buffer.from(event.id)] };
    expect(await step(identical)).toEqual<Outcome>({ kind: 'processed' });
    expect(forwarder.sent).toHaveLength(1);
    expect(calls).toHaveLength(1);
  });

  it('dead-letters data that fails its schema', async () => {
    const { step } = setup(() => undefined);
    const outcome = await step(job({ value: Buffer.from(JSON.stringify({ accountId: 'nope' })) }));
    expect(outcome).toMatchObject({ kind: 'dead-lettered' });
    expect((outcome as { error: Error }).error.name).toBe('EventSchemaError');
  });

  it('sends a record whose retries are exhausted to the next retry topic and parks its key', async () => {
    const { step, forwarder, parked, calls } = setup(() => {
      throw new RetriableError('down');
    });
    const outcome = await step(job());
    expect(outcome).toMatchObject({ kind: 'retried', destination: routes.retryTopic(SOURCE, 1) });
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(forwarder.sent[0].options.retryNotBefore).toBeInstanceOf(Date);
    expect(parked.rows).toEqual([expect.objectContaining({ key: ACCOUNT, offset: '10' })]);
  });

  it('counts attempts on from the previous hops', async () => {
    const { step, calls } = setup(() => {
      throw new PermanentError('no');
    });
    // The batch loop reads x-attempts into attemptsBefore; a permanent failure is not retried.
    expect(await step(withAttempts(job({ stage: 2 }), 6))).toMatchObject({ kind: 'dead-lettered' });
    expect(calls.map((c) => c.attempt)).toEqual([7]);
  });

  it('parks a later record of a key that has an event in the retry topics, and releases it in order', async () => {
    const { step, parked, forwarder, calls } = setup(() => undefined);
    await parked.park({ groupId: 'g', sourceTopic: SOURCE, key: ACCOUNT, partition: 0, offset: '10' });

    const later = await step(job({ offset: '11' }));
    expect(later).toEqual<Outcome>({ kind: 'parked', destination: routes.retryTopic(SOURCE, 1) });
    expect(forwarder.sent[0].options.parkedBehind).toBe('0:10');
    expect(calls).toHaveLength(0);

    // From retry topic 1, still behind the head: moved on behind it, to retry topic 2.
    expect(await step(job({ stage: 1, offset: '0', originOffset: '11' }))).toMatchObject({ kind: 'parked', destination: routes.retryTopic(SOURCE, 2) });

    // The head is processed from retry topic 2 and releases its row in its inbox transaction...
    expect(await step(job({ stage: 2, offset: '0', originOffset: '10' }))).toEqual<Outcome>({ kind: 'processed' });
    expect(parked.rows.map((r) => r.offset)).toEqual(['11']);
  });

  it('releases a follower at the last stage even if a stale row of its key is left', async () => {
    const { step, parked } = setup(() => undefined);
    await parked.park({ groupId: 'g', sourceTopic: SOURCE, key: ACCOUNT, partition: 0, offset: '3' });
    await parked.park({ groupId: 'g', sourceTopic: SOURCE, key: ACCOUNT, partition: 0, offset: '10' });
    expect(await step(job({ stage: 2, offset: '5', originOffset: '10' }))).toEqual<Outcome>({ kind: 'processed' });
    expect(parked.rows).toEqual([]);
  });

  it('leaves a record unacknowledged when its dead-letter write fails', async () => {
    const { step, forwarder } = setup(() => {
      throw new PermanentError('no');
    });
    forwarder.failNext = true;
    await expect(step(job())).rejects.toThrow('broker unavailable');
  });

  it('gives up a record caught in a backoff when the server shuts down, without forwarding it', async () => {
    const { step, shutdown, forwarder } = setup(() => {
      shutdown.abort();
      throw new RetriableError('down');
    });
    expect(await step(job())).toEqual<Outcome>({ kind: 'interrupted' });
    expect(forwarder.sent).toHaveLength(0);
  });

  it('does not spend the last attempt on a retry topic when it fails after shutdown began', async () => {
    // A handler that was waiting (e.g. on a circuit breaker) and is let go by the shutdown.
    const { step, shutdown, forwarder, calls } = setup((_event, ctx) => {
      if (ctx.attempt === 3) shutdown.abort();
      throw new RetriableError('down');
    });
    expect(await step(job())).toEqual<Outcome>({ kind: 'interrupted' });
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(forwarder.sent).toHaveLength(0);
  });

  it('defers a retry record that is not due yet by pausing its partition', async () => {
    const { step, scheduled, calls } = setup(() => undefined);
    const notDue = job({ stage: 1, headers: { [DeadLetterHeader.RetryNotBefore]: new Date(Date.now() + 5_000).toISOString() } });
    const outcome = await step(notDue);
    expect(outcome.kind).toBe('deferred');
    expect(notDue.paused).toBe(1);
    expect(scheduled[0]).toBeGreaterThan(4_000);
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['a day ahead', () => new Date(Date.now() + 86_400_000).toISOString()],
    ['past what a Date can hold', () => '9000000000000000'],
    ['not a time', () => 'garbage'],
  ])('dead-letters a retry record whose not-before is %s, without pausing', async (_what, notBefore) => {
    const { step, forwarder, calls, scheduled } = setup(() => undefined);
    const record = job({ stage: 1, headers: { [DeadLetterHeader.RetryNotBefore]: notBefore() } });
    const outcome = await step(record);
    expect(outcome).toMatchObject({ kind: 'dead-lettered', destination: routes.deadLetterTopic(SOURCE), error: { code: 'RETRY_NOT_BEFORE_INVALID' } });
    expect(forwarder.sent.map((s) => s.destination)).toEqual([routes.deadLetterTopic(SOURCE)]);
    expect(record.paused).toBe(0);
    expect(scheduled).toHaveLength(0);
    expect(calls).toHaveLength(0);
  });

  it('waits for a not-before within the retry delay plus the margin', async () => {
    const { step, forwarder } = setup(() => undefined);
    const record = job({ stage: 1, headers: { [DeadLetterHeader.RetryNotBefore]: new Date(Date.now() + 300 + RETRY_NOT_BEFORE_MARGIN_MS - 1_000).toISOString() } });
    expect((await step(record)).kind).toBe('deferred');
    expect(forwarder.sent).toHaveLength(0);
  });

  it('pauses the partition and leaves the record unsettled when the dead-letter write is not acknowledged', async () => {
    const { step, forwarder, scheduled } = setup(() => {
      throw new PermanentError('no');
    });
    forwarder.failWith = new FailureForwardError(routes.deadLetterTopic(SOURCE), new Error('broker refused'));
    const record = job();
    const outcome = await step(record);
    expect(outcome.kind).toBe('deferred');
    expect(isSettled(outcome)).toBe(false);
    expect(record.paused).toBe(1);
    expect(scheduled).toEqual([DEAD_LETTER_RETRY_DELAY_MS]);
  });

  it("in 'strict-in-place' mode, waits the retry delays out in place and never forwards to a retry topic", async () => {
    let failures = 0;
    const { step, forwarder, calls } = setup(() => {
      if (failures++ < 3) throw new RetriableError('blip');
    }, 'strict-in-place');
    const started = Date.now();
    expect(await step(job())).toEqual<Outcome>({ kind: 'processed' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3, 4]);
    expect(forwarder.sent).toHaveLength(0);
  });
});

function withAttempts<T extends RecordJob>(j: T, before: number): T {
  j.attemptsBefore = before;
  j.attempts = before;
  return j;
}
