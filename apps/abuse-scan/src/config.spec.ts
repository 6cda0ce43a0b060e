import { ConfigError } from '@platform/config';
import { readConsumerConfig } from '@platform/consumer-runtime';
import { Consumer, consumerDeclaration } from '@platform/contracts';
import { DEFAULT_HEALTH_PORT, INBOX_SCHEMA, readAbuseScanSettings } from './config';
import { DEFAULT_POLICY_FILE } from './rules/verdict-policy';

// As main.ts hands it to runConsumer.
const read = (env: Record<string, string>) =>
  readConsumerConfig(env, { consumer: consumerDeclaration(Consumer.AbuseScan), inboxSchema: INBOX_SCHEMA, healthPort: DEFAULT_HEALTH_PORT, settings: readAbuseScanSettings });

describe('abuse-scan configuration', () => {
  it('has working defaults for the local stack, including the committed policy', () => {
    const { runtime, settings } = read({});
    expect(runtime.database.url).toBe('postgres://postgres@127.0.0.1:5432/abuse_scan');
    expect(runtime.inboxSchema).toBe('abuse_scan');
    expect(runtime.health).toEqual({ host: '127.0.0.1', port: 3202 });
    expect(runtime.kafka.clientId).toBe('abuse-scan');
    expect(settings.policyFile).toBe(DEFAULT_POLICY_FILE);
  });

  it('takes the policy file and ports from the environment and rejects bad values', () => {
    expect(read({ ABUSE_RULES_FILE: '/etc/abuse/policy.json' }).settings.policyFile).toBe('/etc/abuse/policy.json');
    expect(() => read({ HEALTH_PORT: '70000', DATABASE_URL: 'nope' })).toThrow(ConfigError);
  });
});
