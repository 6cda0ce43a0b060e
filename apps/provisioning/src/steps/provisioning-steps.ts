import type { TenantDatabase } from '../tenants/tenant-transaction';
import { CreateDefaultObjectsStep } from './create-default-objects.step';
import { CreateSchemaStep } from './create-schema.step';
import { CreateTenantRoleStep } from './create-tenant-role.step';
import type { ProvisioningStep } from './provisioning-step';

/** The steps of a new workspace, in order: the role's grants need the schema, the seed needs both. */
export function provisioningSteps(db: TenantDatabase): ProvisioningStep[] {
  return [new CreateSchemaStep(db), new CreateTenantRoleStep(db), new CreateDefaultObjectsStep(db)];
}
