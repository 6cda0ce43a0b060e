import { ConfigError, EnvReader } from '@platform/config';
import type { ConsumerDeclaration } from '@platform/contracts';
import { ConsumerConfigDefinition, readConsumerConfig } from './consumer-config';

const consumer: ConsumerDeclaration = { name: 'audit-trail', groupId: 'audit-trail', topics: ['accounts.lifecycle.v1'], retryDelaysMs: [1_000] };

/** An app with one setting of its own, checked against the runtime's database. */
const definition: ConsumerConfigDefinition<{ batchSize: number }> = {
  consumer,
  inboxSchema: 'audit_trail',
  healthPort: 3299,
  settings: (reader: EnvReader, runtime) => {
    const batchSize = reader.int('AUDIT_BATCH_SIZE', 50, { min: 1, max: 1_000 });
    if (runtime.database.poolSize < 2) reader.problem('DATABASE_POOL_SIZE must be at least 2 for audit-trail');
    return { batchSize };
  },
};

function configErrorOf(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('no ConfigError');
}

describe('readConsumerConfig', () => {
  it('reads the standard variables with the consumer’s defaults, and the app’s settings', () => {
    const { runtime, settings } = readConsumerConfig({}, definition);
    expect(runtime.kafka).toEqual({ clientId: 'audit-trail', brokers: ['127.0.0.1:9092'] });
    expect(runtime.database).toMatchObject({ url: 'postgres://postgres@127.0.0.1:5432/audit_trail' });
    expect(runtime.inboxSchema).toBe('audit_trail');
    expect(runtime.health).toEqual({ host: '127.0.0.1', port: 3299 });
    expect(runtime.log.level).toBe('info');
    expect(runtime.inboxRetention).toEqual({ retentionMs: 35 * 86_400_000, pruneIntervalMs: 3_600_000 });
    expect(settings).toEqual({ batchSize: 50 });
  });

  it('takes both from the environment', () => {
    const { runtime, settings } = readConsumerConfig(
      { KAFKA_BROKERS: 'k1:9092,k2:9092', HEALTH_PORT: '4100', INBOX_RETENTION_DAYS: '40', LOG_LEVEL: 'debug', AUDIT_BATCH_SIZE: '7' },
      definition,
    );
    expect(runtime.kafka.brokers).toEqual(['k1:9092', 'k2:9092']);
    expect(runtime.health.port).toBe(4100);
    expect(runtime.inboxRetention.retentionMs).toBe(40 * 86_400_000);
    expect(runtime.log.level).toBe('debug');
    expect(settings.batchSize).toBe(7);
  });

  it('names a bad runtime variable and a bad app variable in one ConfigError', () => {
    const error = configErrorOf(() => readConsumerConfig({ HEALTH_PORT: 'http', INBOX_RETENTION_DAYS: 'forever', AUDIT_BATCH_SIZE: '0' }, definition));
    expect(error.problems).toHaveLength(3);
    for (const name of ['HEALTH_PORT', 'INBOX_RETENTION_DAYS', 'AUDIT_BATCH_SIZE']) expect(error.problems.some((p) => p.startsWith(name))).toBe(true);
  });

  it('lets the app check its settings against the runtime’s, in the same ConfigError', () => {
    const error = configErrorOf(() => readConsumerConfig({ DATABASE_POOL_SIZE: '1', LOG_LEVEL: 'loud' }, definition));
    expect(error.problems.join('\n')).toMatch(/LOG_LEVEL/);
    expect(error.problems).toContain('DATABASE_POOL_SIZE must be at least 2 for audit-trail');
  });

  it('runs without settings of the app’s own', () => {
    const { settings } = readConsumerConfig({}, { consumer, inboxSchema: 'audit_trail', healthPort: 3299 });
    expect(settings).toBeUndefined();
  });
});
