import type { ConsumerContext, ConsumerStart } from '@platform/consumer-runtime';
import { logIdleConnectionErrors } from '@platform/observability';
import type { ProvisioningSettings } from './config';
import { ProvisioningModule } from './provisioning.module';
import { provisioningSteps } from './steps/provisioning-steps';
import { StepRunner } from './steps/step-runner';
import { createTenantsPool, prepareTenantsDatabase, redactUrl } from './tenants/tenants-database';
import { DeprovisionWorkspaceHandler } from './workspace/deprovision-workspace.handler';
import { ProvisionWorkspaceHandler } from './workspace/provision-workspace.handler';

/** Opens the tenants database and builds the workspace handlers; the runtime runs them. */
export async function startProvisioning({ settings, logger, publisher, releaseOnStop }: ConsumerContext<ProvisioningSettings>): Promise<ConsumerStart> {
  const tenantsPool = createTenantsPool(settings.tenants);
  releaseOnStop(() => tenantsPool.end());
  logIdleConnectionErrors(tenantsPool, 'tenants pool', (m) => logger.warn(m));
  // Fails fast, naming the database, when the tenants database is missing or unreachable.
  await prepareTenantsDatabase(tenantsPool, settings.tenants.url);
  const tenantsDb = { pool: tenantsPool, lockTimeoutMs: settings.tenants.lockTimeoutMs };

  const runner = new StepRunner(provisioningSteps(tenantsDb), {
    compensated: (step, tenant) => logger.warn(`compensated ${step} for ${tenant.schema}`),
  });
  const handlers = {
    provision: new ProvisionWorkspaceHandler(runner, await publisher('results')),
    deprovision: new DeprovisionWorkspaceHandler(tenantsDb, settings.deprovisionMode),
  };
  return {
    module: ProvisioningModule.register(handlers),
    summary: `tenants in ${redactUrl(settings.tenants.url)}; deprovision mode ${settings.deprovisionMode}`,
  };
}
