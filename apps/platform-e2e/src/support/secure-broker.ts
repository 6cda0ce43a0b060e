import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '@platform/dev-stack';

/**
 * The broker of the secure end-to-end run: tools/kafka/kafka.sh with KAFKA_SECURITY=sasl_ssl on a
 * port of its own (SASL_SSL, SCRAM-SHA-512, certificates made by the script), fresh each run.
 */
export const SECURE_KAFKA_PORT = Number(process.env.TEST_SECURE_KAFKA_PORT ?? 18092);
export const SECURE_KAFKA_DATA_DIR = join(ROOT, '.local', 'kafka-secure-test');
export const SECURE_CLIENT_ENV_FILE = join(SECURE_KAFKA_DATA_DIR, 'client.env');

const run = promisify(execFile);

function kafkaSh(command: 'start' | 'stop'): Promise<{ stdout: string; stderr: string }> {
  return run('bash', [join(ROOT, 'tools', 'kafka', 'kafka.sh'), command], {
    cwd: ROOT,
    env: { ...process.env, KAFKA_SECURITY: 'sasl_ssl', KAFKA_PORT: String(SECURE_KAFKA_PORT), KAFKA_DATA_DIR: SECURE_KAFKA_DATA_DIR },
    timeout: 180_000,
  });
}

/** Stops a broker left over from an earlier run, wipes its storage, starts it and returns its client env. */
export async function startSecureBroker(): Promise<Record<string, string>> {
  await kafkaSh('stop');
  rmSync(SECURE_KAFKA_DATA_DIR, { recursive: true, force: true });
  try {
    await kafkaSh('start');
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`the secure broker did not start on port ${SECURE_KAFKA_PORT}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
  return readSecureClientEnv();
}

export async function stopSecureBroker(): Promise<void> {
  await kafkaSh('stop');
}

/** KAFKA_BROKERS, KAFKA_SSL, KAFKA_SSL_CA_FILE and KAFKA_SASL_*, as kafka.sh wrote them for clients. */
export function readSecureClientEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(SECURE_CLIENT_ENV_FILE, 'utf8').split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) env[match[1]] = match[2];
  }
  return env;
}
