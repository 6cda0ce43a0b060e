import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { EventType, Topic, createEnvelope, encodeEnvelope } from '@platform/contracts';
import { ScratchServer, asPostgres } from '@platform/testing';
import { APPS, AppName } from '@platform/dev-stack';
import { log } from './chaos-log';
import type { ChaosOptions } from './chaos-options';
import { Platform } from './platform';
import { Rng } from './seeded';
import { sleep } from './sleep';

export type FaultKind = 'kill' | 'broker' | 'postgres' | 'smtp' | 'poison';
export interface PlannedFault {
  readonly kind: FaultKind;
  readonly target?: AppName;
  /** Milliseconds after the load starts. */
  readonly atMs: number;
  readonly durationMs: number;
  readonly label: string;
}
export interface FaultResult extends PlannedFault {
  startedAtMs?: number;
  endedAtMs?: number;
  ok: boolean;
  detail: string;
}

export interface PoisonRecord {
  key: string;
  value: Buffer;
  headers?: Record<string, string>;
}

/** What injecting a fault needs of the run. */
export interface FaultContext {
  readonly platform: Platform;
  /** The run's own PostgreSQL server, when it has one (--postgres scratch). */
  readonly scratch?: ScratchServer;
  readonly pgRestartCommand: string;
  readonly poison: PoisonRecord[];
  /** When the load started: every fault's time is counted from it. */
  readonly t0: number;
}

export function planFaults(o: ChaosOptions, rng: Rng, driveMs: number): { planned: PlannedFault[]; skipped: string[] } {
  const kinds: Omit<PlannedFault, 'atMs'>[] = [
    ...APPS.map((app) => ({ kind: 'kill' as const, target: app, durationMs: 500, label: `SIGKILL ${app}, restart` })),
    { kind: 'broker', durationMs: o.brokerDownSeconds * 1000, label: `broker down ${o.brokerDownSeconds} s (kafka.sh stop/start, same data dir)` },
    { kind: 'smtp', durationMs: o.smtpDownSeconds * 1000, label: `SMTP down ${o.smtpDownSeconds} s` },
    { kind: 'poison', durationMs: 0, label: 'three poison records to accounts.lifecycle.v1' },
  ];
  const skipped: string[] = [];
  const how = o.postgres === 'scratch' ? "pg_ctl restart -m fast of the run's own server" : o.pgRestartCommand;
  if (o.pgRestart) kinds.push({ kind: 'postgres', durationMs: 0, label: `PostgreSQL restart (${how})` });
  else skipped.push('PostgreSQL restart: skipped (--pg-restart=false)');
  const order = rng.shuffle(kinds);
  // Spread over 10%..85% of the load, each a little jittered, so every fault lands while signups flow.
  const planned = order.map((fault, i) => ({
    ...fault,
    atMs: Math.round(driveMs * (0.1 + (0.75 * i) / Math.max(1, order.length - 1)) + rng.between(-0.015, 0.015) * driveMs),
  }));
  return { planned: planned.sort((a, b) => a.atMs - b.atMs), skipped };
}

async function withRetry<T>(what: string, fn: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what}: ${(error as Error).message}`);
      await sleep(1000);
    }
  }
}

/** Records no consumer can read: bytes with no headers, a truncated CloudEvent, a created event whose data breaks its schema. */
export function poisonRecords(): PoisonRecord[] {
  const truncated = encodeEnvelope(
    createEnvelope({
      type: EventType.AccountCreated,
      source: 'urn:chaos:poison',
      subject: randomUUID(),
      data: { accountId: randomUUID(), email: 'x@example.org', displayName: 'X', locale: 'en', plan: 'free', externalId: null, signupContext: { ip: null, userAgent: null }, createdAt: new Date().toISOString() },
    }),
  );
  const invalidId = randomUUID();
  const invalid = encodeEnvelope(createEnvelope({ type: EventType.AccountCreated, source: 'urn:chaos:poison', subject: invalidId, data: {} as never }));
  return [
    { key: randomUUID(), value: randomBytes(64) },
    { key: truncated.key, value: truncated.value.subarray(0, truncated.value.length / 2), headers: truncated.headers },
    { key: invalid.key, value: Buffer.from(JSON.stringify({ accountId: 'not-a-uuid' })), headers: invalid.headers },
  ];
}

/** Waits for the fault's time, injects it and records how it went; never throws. */
export async function runFault(fault: FaultResult, { platform, scratch, pgRestartCommand, poison, t0 }: FaultContext): Promise<void> {
  await sleep(Math.max(0, fault.atMs - (Date.now() - t0)));
  fault.startedAtMs = Date.now() - t0;
  log(`fault: ${fault.label}`);
  try {
    switch (fault.kind) {
      case 'kill': {
        const { readyAfterMs, restartsOnTheWay } = await platform.killAndRestart(fault.target!, fault.durationMs, 180_000);
        fault.detail = `ready again ${(readyAfterMs / 1000).toFixed(1)} s after the kill${restartsOnTheWay ? ` (exited on its own ${restartsOnTheWay}x on the way, restarted)` : ''}`;
        break;
      }
      case 'broker': {
        await platform.kafkaSh('stop');
        await sleep(fault.durationMs);
        // kafka.sh gives the broker 60 s to answer; on a loaded machine it may need longer, and
        // `start` is a no-op once it runs, so asking again is safe.
        const restartedAt = Date.now();
        await withRetry('kafka.sh start', () => platform.kafkaSh('start'), 180_000);
        fault.detail = `broker answered again ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after kafka.sh start`;
        break;
      }
      case 'postgres': {
        if (scratch) {
          const home = dirname(scratch.dataDir);
          await asPostgres('pg_ctl', ['restart', '-D', scratch.dataDir, '-m', 'fast', '-w', '-t', '60', '-l', join(home, 'server.log')], home);
        } else {
          const [cmd, ...args] = pgRestartCommand.split(' ');
          await promisify(execFile)(cmd, args, { timeout: 120_000 });
        }
        await Promise.all(APPS.map((app) => platform.waitReady(app, 180_000)));
        fault.detail = 'restarted; every app ready again';
        break;
      }
      case 'smtp': {
        await platform.sink.stopSmtp();
        await sleep(fault.durationMs);
        await platform.sink.restartSmtp();
        fault.detail = 'SMTP accepting again';
        break;
      }
      case 'poison': {
        await withRetry('producing poison', async () => {
          const producer = platform.kafka.producer();
          await producer.connect();
          try {
            await producer.send({ topic: Topic.AccountLifecycle, messages: poison });
          } finally {
            await producer.disconnect();
          }
        });
        fault.detail = `keys ${poison.map((p) => p.key.slice(0, 8)).join(', ')}`;
        break;
      }
    }
    fault.ok = true;
  } catch (error) {
    fault.detail = (error as Error).message.replace(/\s*\n\s*/g, ' | ').slice(0, 400);
    log(`fault FAILED: ${fault.label}: ${fault.detail}`);
  }
  fault.endedAtMs = Date.now() - t0;
  log(`fault done: ${fault.label}: ${fault.detail}`);
}
