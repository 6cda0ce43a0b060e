import type { RelayStatus } from '@platform/outbox';
import { relayHealth } from './relay-health';

describe('relayHealth', () => {
  let status: RelayStatus;
  const probes = relayHealth(() => status);

  beforeEach(() => {
    status = { role: 'standby', database: 'up', kafka: 'unknown', publishedEvents: 0, publishedBatches: 0, lastPublishedAt: null };
  });

  it('is live regardless of dependencies', () => {
    status = { ...status, database: 'down', kafka: 'down' };
    expect(probes.live()).toBe(true);
  });

  it('is ready with its database session up, as active or standby, and says which', () => {
    expect(probes.ready()).toEqual({ ready: true, role: 'standby', database: 'up', kafka: 'unknown' });
    status = { ...status, role: 'active', kafka: 'down' };
    expect(probes.ready()).toEqual({ ready: true, role: 'active', database: 'up', kafka: 'down' });
  });

  it('is not ready without its database session or once stopped', () => {
    status = { ...status, database: 'down' };
    expect(probes.ready().ready).toBe(false);
    status = { ...status, database: 'up', role: 'stopped' };
    expect(probes.ready().ready).toBe(false);
  });
});
