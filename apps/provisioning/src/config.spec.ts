import { ConfigError } from '@platform/config';
import { readConsumerConfig } from '@platform/consumer-runtime';
import { Consumer, consumerDeclaration } from '@platform/contracts';
import { DEFAULT_HEALTH_PORT, INBOX_SCHEMA, readProvisioningSettings } from './config';

// As main.ts hands it to runConsumer.
const read = (env: Record<string, string>) =>
  readConsumerConfig(env, { consumer: consumerDeclaration(Consumer.Provisioning), inboxSchema: INBOX_SCHEMA, healthPort: DEFAULT_HEALTH_PORT, settings: readProvisioningSettings });

describe('provisioning configuration', () => {
  it('has working defaults for the local stack', () => {
    const { runtime, settings } = read({});
    expect(runtime.database.url).toBe('postgres://postgres@127.0.0.1:5432/provisioning');
    expect(runtime.inboxSchema).toBe('provisioning');
    expect(runtime.health.port).toBe(3203);
    expect(settings.tenants.url).toBe('postgres://postgres@127.0.0.1:5432/tenants');
    expect(settings.deprovisionMode).toBe('drop');
  });

  it('reads the deprovision mode and rejects unknown ones', () => {
    expect(read({ DEPROVISION_MODE: 'archive' }).settings.deprovisionMode).toBe('archive');
    expect(() => read({ DEPROVISION_MODE: 'shred' })).toThrow(/DEPROVISION_MODE must be one of drop, archive/);
  });

  it('refuses to put tenants into the inbox database', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/shared';
    expect(() => read({ DATABASE_URL: url, TENANTS_DATABASE_URL: url })).toThrow(ConfigError);
    expect(() => read({ DATABASE_URL: url, TENANTS_DATABASE_URL: url })).toThrow(/TENANTS_DATABASE_URL must name a different database than DATABASE_URL/);
  });
});
