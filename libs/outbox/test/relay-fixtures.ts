import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { testBrokers } from '@platform/testing';
import type { PlatformLogger } from '@platform/observability';

/** The relay lib's own spec helpers; fixtures the relay app shares are in ../testing. */

const ROOT = path.resolve(__dirname, '../../..');

export function suffix(): string {
  return randomBytes(4).toString('hex');
}

export function testKafka(brokers: string[] = testBrokers()): Kafka {
  return new Kafka({ clientId: `relay-test-${suffix()}`, brokers, logLevel: logLevel.NOTHING, retry: { retries: 3 } });
}

export async function createTopic(kafka: Kafka, partitions = 3): Promise<string> {
  const topic = `relay-test-${suffix()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  return topic;
}

export async function deleteTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
}

export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000, intervalMs = 50): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A broker of the test's own on another port, which it may stop (never the shared one on 9092). */
export const OWN_BROKER = { port: 29092, dataDir: '/tmp/relay-kafka' };

export async function ownBroker(action: 'start' | 'stop'): Promise<void> {
  await promisify(execFile)('bash', [path.join(ROOT, 'tools/kafka/kafka.sh'), action], {
    env: { ...process.env, KAFKA_PORT: String(OWN_BROKER.port), KAFKA_DATA_DIR: OWN_BROKER.dataDir },
    timeout: 90_000,
  });
}

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields?: object;
}

/** A logger that keeps what it was told, so specs can count state-change logs. */
export function recordingLogger(): PlatformLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    debug: (message, fields) => lines.push({ level: 'debug', message, fields }),
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
  };
}
