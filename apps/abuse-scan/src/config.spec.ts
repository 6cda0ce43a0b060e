import { ConfigError } from '@platform/config';
import { readAbuseScanConfig } from './config';
import { DEFAULT_POLICY_FILE } from './rules/verdict-policy';

describe('readAbuseScanConfig', () => {
  it('has working defaults for the local stack, including the committed policy', () => {
    const config = readAbuseScanConfig({});
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/abuse_scan');
    expect(config.inboxSchema).toBe('abuse_scan');
    expect(config.health).toEqual({ host: '127.0.0.1', port: 3202 });
    expect(config.policyFile).toBe(DEFAULT_POLICY_FILE);
  });

  it('takes the policy file and ports from the environment and rejects bad values', () => {
    expect(readAbuseScanConfig({ ABUSE_RULES_FILE: '/etc/abuse/policy.json' }).policyFile).toBe('/etc/abuse/policy.json');
    expect(() => readAbuseScanConfig({ HEALTH_PORT: '70000', DATABASE_URL: 'nope' })).toThrow(ConfigError);
  });
});
