import { PermanentError, PlatformError, RetriableError } from '@platform/contracts';
import { PlatformAttribute, inSpan } from '@platform/observability';
import { PROVISIONING_TELEMETRY_SCOPE } from '../telemetry-scope';
import { classifyPgError } from '../tenants/pg-error-classifier';
import type { TenantWorkspace } from '../tenants/tenant-workspace';
import type { ProvisioningStep } from './provisioning-step';

/**
 * A step failed for good and the steps before it were undone. Permanent, so the record goes to the
 * dead-letter topic; `step` and `code` are what provisioning.failed.v1 reports.
 */
export class StepFailedError extends PermanentError {
  constructor(
    readonly step: string,
    readonly failure: PlatformError,
  ) {
    super(`provisioning step ${step} failed: ${failure.message}`, failure.code, failure);
  }
}

/** Undoing a failed provisioning did not finish; retriable, so the whole run is tried again. */
export class CompensationFailedError extends RetriableError {
  constructor(
    readonly step: string,
    cause: PlatformError,
  ) {
    super(`compensating provisioning step ${step} failed: ${cause.message}`, 'PROVISIONING_COMPENSATION_FAILED', cause);
  }
}

export interface StepRunnerObserver {
  compensated?(step: string, tenant: TenantWorkspace): void;
}

/**
 * Runs the steps in order, a saga in one process. A retriable failure is rethrown as is: nothing
 * is undone, the runtime retries, and the idempotent steps already done pass through quickly. A
 * permanent failure undoes the steps completed in this run in reverse, then throws StepFailedError.
 * Compensations are idempotent too, so a compensation that fails half-way is simply retried with
 * the whole run (which fails again at the same step and compensates again).
 */
export class StepRunner {
  constructor(
    readonly steps: readonly ProvisioningStep[],
    private readonly observer: StepRunnerObserver = {},
  ) {}

  async run(tenant: TenantWorkspace): Promise<void> {
    const completed: ProvisioningStep[] = [];
    for (const step of this.steps) {
      try {
        await inSpan(PROVISIONING_TELEMETRY_SCOPE, `provisioning step ${step.name}`, { attributes: { [PlatformAttribute.ProvisioningStep]: step.name } }, () => step.apply(tenant));
      } catch (error) {
        const failure = classifyPgError(error, `${step.name} for ${tenant.schema}`);
        if (failure.retriable) throw failure;
        await this.compensate(completed, tenant);
        throw new StepFailedError(step.name, failure);
      }
      completed.push(step);
    }
  }

  private async compensate(completed: readonly ProvisioningStep[], tenant: TenantWorkspace): Promise<void> {
    for (const step of [...completed].reverse()) {
      try {
        await inSpan(PROVISIONING_TELEMETRY_SCOPE, `provisioning compensate ${step.name}`, { attributes: { [PlatformAttribute.ProvisioningStep]: step.name } }, () =>
          step.compensate(tenant),
        );
      } catch (error) {
        throw new CompensationFailedError(step.name, classifyPgError(error, `compensating ${step.name} for ${tenant.schema}`));
      }
      this.observer.compensated?.(step.name, tenant);
    }
  }
}
