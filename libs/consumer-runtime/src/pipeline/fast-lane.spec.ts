import type { KafkaMessage } from 'kafkajs';
import type { MessageHandler } from '@nestjs/microservices';
import { ConsumerDeclaration, createEnvelope, EventType, encodeEnvelope, RetriableError, stringHeaders, TopicName } from '@platform/contracts';
import type { RecordInfo } from '../hooks/runtime-hooks';
import type { BatchRequest, InboxBatch } from '../inbox/inbox-batch';
import type { InboxStore } from '../inbox/inbox-store';
import type { OrderingMode } from '../ordering/ordering-mode';
import { EventRouter } from '../routing/event-router';
import { TopicRoutes } from '../routing/topic-routes';
import type { EventContext } from '../server/event-context';
import { FastLane, MAX_RUN_RECORDS } from './fast-lane';
import type { PipelineDeps } from './pipeline-deps';
import type { RecordJob } from './record-job';

// The lane over an in-memory inbox: what it settles, what it hands to the record pipeline, and
// which claims it keeps.

const SOURCE = 'src' as TopicName;
const declaration: ConsumerDeclaration = { name: 'c', groupId: 'g', topics: [SOURCE], retryDelaysMs: [300] };
const routes = new TopicRoutes(declaration);

class FakeInbox {
  readonly done = new Set<string>();
  readonly requests: BatchRequest[] = [];
  readonly kept: number[] = [];
  parked = new Set<string>();

  async openBatch(request: BatchRequest) {
    this.requests.push(request);
    const won = new Set<string>();
    const holds = request.entries.map((e) => !this.done.has(e.eventId) && !won.has(e.eventId) && won.add(e.eventId) !== undefined);
    const parkedKeys = new Set(request.keysToCheck.filter((k) => this.parked.has(k)));
    return {
      parkedKeys,
      holdsClaim: (i: number) => holds[i],
      commit: async (keep: number) => {
        this.kept.push(keep);
        request.entries.forEach((e, i) => i < keep && holds[i] && this.done.add(e.eventId));
      },
      abort: async () => undefined,
    } as unknown as InboxBatch;
  }
}

function setup(behaviour: (event: { id: string }, ctx: EventContext) => void | Promise<void> = () => undefined, ordering: OrderingMode = 'park') {
  const inbox = new FakeInbox();
  const shutdown = new AbortController();
  const calls: { id: string; attempt: number }[] = [];
  const seen: { hook: string; info: RecordInfo }[] = [];
  const handler: MessageHandler = Object.assign(async (event: { id: string }, ctx: EventContext) => {
    calls.push({ id: event.id, attempt: ctx.attempt });
    await behaviour(event, ctx);
  }, { isEventHandler: true });
  let clock = 0;
  const deps = {
    groupId: 'g',
    routes,
    router: new EventRouter(new Map([[EventType.AccountCreated, handler]])),
    inbox: inbox as unknown as InboxStore,
    ordering,
    hooks: { onProcessed: (info: RecordInfo) => seen.push({ hook: 'processed', info }), onIgnored: (info: RecordInfo) => seen.push({ hook: 'ignored', info }) },
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    shutdown: shutdown.signal,
    invoke: async (h: MessageHandler, event: unknown, ctx: EventContext) => {
      await h(event, ctx);
    },
    now: () => clock,
  } as unknown as PipelineDeps;
  const advance = (ms: number) => (clock += ms);
  return { lane: new FastLane(deps), inbox, shutdown, calls, seen, advance };
}

let offset = 0;
function record(options: { account?: string; id?: string; type?: string; value?: Buffer } = {}): RecordJob {
  const account = options.account ?? '7c9e6679-7425-40de-944b-e07fc1f90ae7';
  const event = createEnvelope({
    type: EventType.AccountCreated,
    id: options.id,
    source: 'test',
    subject: account,
    data: { accountId: account, email: 'a@example.com', displayName: 'A', locale: 'en', plan: 'free', externalId: null, signupContext: { ip: null, userAgent: null }, createdAt: new Date().toISOString() },
  });
  const encoded = encodeEnvelope(event);
  const headers = { ...encoded.headers, ...(options.type ? { ce_type: options.type } : {}) };
  const message = { key: Buffer.from(account), value: options.value ?? encoded.value, headers, offset: String(offset++), timestamp: '0' } as unknown as KafkaMessage;
  return {
    message,
    route: routes.routeOf(SOURCE),
    partition: 0,
    headers: Object.freeze(stringHeaders(message.headers)),
    origin: { topic: SOURCE, partition: 0, offset: message.offset, timestamp: '0' },
    key: account,
    startedAt: 0,
    heartbeat: async () => undefined,
    pausePartition: () => () => undefined,
    attemptsBefore: 0,
    attempts: 0,
    inTransaction: [],
  };
}

const ids = (jobs: RecordJob[]) => jobs.map((j) => j.message.headers!.ce_id!.toString());
const alive = () => true;

describe('the fast lane', () => {
  it('claims a run of events in one batch, handles them in order and commits every claim', async () => {
    const { lane, inbox, calls, seen } = setup();
    const jobs = [record(), record(), record()];
    expect(await lane.run(jobs, alive)).toEqual({ settled: 3, next: 'lane' });
    expect(calls).toEqual(ids(jobs).map((id) => ({ id, attempt: 1 })));
    expect(inbox.requests).toHaveLength(1);
    expect(inbox.requests[0].keysToCheck).toEqual([jobs[0].key]);
    expect(inbox.kept).toEqual([3]);
    expect(seen.map((s) => s.hook)).toEqual(['processed', 'processed', 'processed']);
  });

  it('skips events processed before and copies within the run, and events nobody handles, without claiming them', async () => {
    const { lane, inbox, calls, seen } = setup();
    const done = record();
    inbox.done.add(ids([done])[0]);
    const copy = record({ id: 'same-id' });
    const jobs = [done, copy, record({ id: 'same-id' }), record({ type: EventType.AccountClosed })];
    expect(await lane.run(jobs, alive)).toEqual({ settled: 4, next: 'lane' });
    expect(calls.map((c) => c.id)).toEqual(['same-id']);
    expect(inbox.requests[0].entries).toHaveLength(3);
    expect(seen.map((s) => [s.hook, s.info.reason])).toEqual([['ignored', 'duplicate'], ['processed', undefined], ['ignored', 'duplicate'], ['ignored', 'no-handler']]);
  });

  it('ends the run at a record it does not take, which goes to the record pipeline untouched', async () => {
    const { lane, calls } = setup();
    const poison = record({ value: Buffer.from('{not json') });
    const jobs = [record(), poison, record()];
    expect(await lane.run(jobs, alive)).toEqual({ settled: 1, next: 'alone' });
    expect(calls).toHaveLength(1);
    expect(poison.laneFailure).toBeUndefined();
  });

  it('hands a record whose handler failed to the record pipeline with its attempt counted, and withdraws the later claims', async () => {
    const failing = record();
    const { lane, inbox, calls } = setup((event) => {
      if (event.id === ids([failing])[0]) throw new RetriableError('down', 'DOWN');
    });
    const jobs = [record(), failing, record()];
    expect(await lane.run(jobs, alive)).toEqual({ settled: 1, next: 'alone' });
    expect(failing.laneFailure?.error).toBeInstanceOf(RetriableError);
    expect(failing.attempts).toBe(1);
    expect(calls).toHaveLength(2);
    expect(inbox.kept).toEqual([1]);
    expect(inbox.done.has(ids([failing])[0])).toBe(false);
  });

  it('ends the run before a record whose key waits behind an event in the retry topics', async () => {
    const { lane, inbox, calls } = setup();
    inbox.parked.add('11111111-1111-4111-8111-111111111111');
    const jobs = [record(), record({ account: '11111111-1111-4111-8111-111111111111' }), record()];
    expect(await lane.run(jobs, alive)).toEqual({ settled: 1, next: 'alone' });
    expect(calls).toHaveLength(1);
    expect(inbox.kept).toEqual([1]);
  });

  it("does not look up parked keys in 'strict-in-place' mode", async () => {
    const { lane, inbox } = setup(undefined, 'strict-in-place');
    await lane.run([record()], alive);
    expect(inbox.requests[0].keysToCheck).toEqual([]);
  });

  it('starts nothing once shutdown began', async () => {
    const { lane, shutdown, calls, inbox } = setup();
    shutdown.abort();
    expect(await lane.run([record(), record()], alive)).toEqual({ settled: 0, next: 'stop' });
    expect(calls).toHaveLength(0);
    expect(inbox.kept).toEqual([0]);
  });

  it('sizes runs so slow handlers commit often and fast ones in bulk', async () => {
    let slow = true;
    const { lane, advance } = setup(() => {
      if (slow) advance(25);
    });
    await lane.run([record(), record()], alive);
    expect(lane.runSize()).toBe(2);
    slow = false;
    for (let i = 0; i < 20; i += 1) await lane.run([record()], alive);
    expect(lane.runSize()).toBe(MAX_RUN_RECORDS);
  });

  it('commits after every handler when told to keep at most one record per commit', async () => {
    const { lane: unbounded } = setup();
    expect(unbounded.runSize()).toBe(16);
    const inbox = setup();
    const strict = new FastLane((inbox.lane as unknown as { deps: PipelineDeps }).deps, 1);
    expect(strict.runSize()).toBe(1);
    await strict.run([record()], alive);
    expect(strict.runSize()).toBe(1);
  });

  it('yields when a run outlasts its time, so the next run picks up where it left off', async () => {
    const { lane, advance } = setup(() => {
      advance(60);
    });
    expect(await lane.run([record(), record(), record()], alive)).toEqual({ settled: 2, next: 'lane' });
  });
});
