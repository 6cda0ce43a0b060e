import type { KafkaMessage } from 'kafkajs';
import type { MessageHandler } from '@nestjs/microservices';
import type { EventEnvelope } from '@platform/contracts';
import type { OriginRef } from '../dead-letter/failure-headers';
import type { IgnoreReason } from '../hooks/runtime-hooks';
import type { InTransaction } from '../inbox/inbox-store';
import type { TopicRoute } from '../routing/topic-routes';

/** One record on its way through the middleware chain, with what each step learned about it. */
export interface RecordJob {
  readonly message: KafkaMessage;
  readonly route: TopicRoute;
  readonly partition: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The source-topic record this one started as; itself on a source topic. */
  readonly origin: OriginRef;
  readonly key: string | null;
  readonly startedAt: number;
  readonly heartbeat: () => Promise<void>;
  /** Pauses this record's partition; returns the function that resumes it. */
  readonly pausePartition: () => () => void;
  /** Handler attempts made before this delivery's next attempt (earlier hops, earlier in-place rounds). */
  attemptsBefore: number;
  /** Handler attempts made so far, this one included once it starts. */
  attempts: number;
  envelope?: EventEnvelope;
  handler?: MessageHandler;
  /**
   * Set when this delivery's first handler attempt already ran in the fast lane and failed: the
   * retry step counts it as attempt one and goes on from there instead of running it again.
   */
  laneFailure?: { readonly error: unknown };
  /** Statements the inbox transaction runs after the handler succeeds (or finds a duplicate). */
  readonly inTransaction: InTransaction[];
}

export type Outcome =
  | { readonly kind: 'processed' }
  | { readonly kind: 'ignored'; readonly reason: IgnoreReason }
  | { readonly kind: 'retried'; readonly destination: string; readonly error: unknown }
  | { readonly kind: 'parked'; readonly destination: string }
  | { readonly kind: 'dead-lettered'; readonly destination: string; readonly error: unknown }
  /** A retry record that is not due yet: its partition is paused and its offset stays unresolved. */
  | { readonly kind: 'deferred'; readonly dueAt: number }
  /** Shutdown cut a wait short: the offset stays unresolved and the record is redelivered later. */
  | { readonly kind: 'interrupted' };

/** Outcomes after which the record's offset may be resolved and committed. */
export function isSettled(outcome: Outcome): boolean {
  return outcome.kind !== 'deferred' && outcome.kind !== 'interrupted';
}

export type Step = (job: RecordJob) => Promise<Outcome>;

/** Watermill-style middleware: does its part around `next`, the rest of the chain. */
export type Middleware = (job: RecordJob, next: () => Promise<Outcome>) => Promise<Outcome>;

/** The first middleware is the outermost. */
export function compose(middlewares: readonly Middleware[], terminal: Step): Step {
  return middlewares.reduceRight<Step>((next, middleware) => (job) => middleware(job, () => next(job)), terminal);
}

export function attemptsForReport(job: RecordJob): number {
  // A record that failed before any handler ran (bad bytes, bad schema) still had one delivery.
  return Math.max(job.attempts, job.attemptsBefore + 1);
}
