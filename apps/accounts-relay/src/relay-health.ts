import type { HealthProbes } from '@platform/observability';
import type { RelayStatus } from '@platform/outbox';

/**
 * The relay's probes for the shared health server: live while the process runs its event loop;
 * ready while its database session is up (as active or standby), whatever Kafka does, since a
 * standby or a relay riding out a Kafka outage is still doing its job.
 */
export function relayHealth(status: () => RelayStatus): HealthProbes {
  return {
    live: () => true,
    ready: () => {
      const { role, database, kafka } = status();
      return { ready: database === 'up' && role !== 'stopped', role, database, kafka };
    },
  };
}
