import { ConfigError } from '@platform/config';
import { readProvisioningConfig } from './config';

describe('readProvisioningConfig', () => {
  it('has working defaults for the local stack', () => {
    const config = readProvisioningConfig({});
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/provisioning');
    expect(config.inboxSchema).toBe('provisioning');
    expect(config.health.port).toBe(3203);
    expect(config.tenants.url).toBe('postgres://postgres@127.0.0.1:5432/tenants');
    expect(config.deprovisionMode).toBe('drop');
  });

  it('reads the deprovision mode and rejects unknown ones', () => {
    expect(readProvisioningConfig({ DEPROVISION_MODE: 'archive' }).deprovisionMode).toBe('archive');
    expect(() => readProvisioningConfig({ DEPROVISION_MODE: 'shred' })).toThrow(/DEPROVISION_MODE must be one of drop, archive/);
  });

  it('refuses to put tenants into the inbox database', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/shared';
    expect(() => readProvisioningConfig({ DATABASE_URL: url, TENANTS_DATABASE_URL: url })).toThrow(ConfigError);
  });
});
