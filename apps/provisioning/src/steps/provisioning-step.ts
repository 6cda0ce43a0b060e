import type { TenantWorkspace } from '../tenants/tenant-workspace';

/**
 * One step of setting up a workspace. Both directions must be idempotent and safe to replay: a
 * record can be delivered again after any crash, and a retry starts again from the first step.
 * `apply` leaves the step's outcome in place whether or not it was there before; `compensate`
 * removes it whether or not it is there.
 */
export interface ProvisioningStep {
  readonly name: string;
  apply(tenant: TenantWorkspace): Promise<void>;
  compensate(tenant: TenantWorkspace): Promise<void>;
}
