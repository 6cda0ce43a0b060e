import { PermanentError, RetriableError } from '@platform/contracts';
import { tenantWorkspace } from '../tenants/tenant-workspace';
import type { ProvisioningStep } from './provisioning-step';
import { CompensationFailedError, StepFailedError, StepRunner } from './step-runner';

/**
 * Steps over an in-memory "database" (a set of created things), so the runner's ordering and
 * compensation logic is checked without PostgreSQL; the SQL steps have their own int-spec.
 */
class SetStep implements ProvisioningStep {
  constructor(
    readonly name: string,
    private readonly created: Set<string>,
    private readonly failures: { apply?: Error; compensate?: Error } = {},
  ) {}
  async apply(): Promise<void> {
    if (this.failures.apply) throw this.failures.apply;
    this.created.add(this.name);
  }
  async compensate(): Promise<void> {
    if (this.failures.compensate) throw this.failures.compensate;
    this.created.delete(this.name);
  }
}

const tenant = tenantWorkspace('c4f1e2d3-b4a5-4c6d-8e7f-9a0b1c2d3e4f');
const sqlError = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('StepRunner', () => {
  it('runs every step in order and is idempotent when run again', async () => {
    const created = new Set<string>();
    const runner = new StepRunner([new SetStep('schema', created), new SetStep('role', created), new SetStep('objects', created)]);
    await runner.run(tenant);
    await runner.run(tenant);
    expect([...created]).toEqual(['schema', 'role', 'objects']);
  });

  it('undoes the completed steps in reverse on a permanent failure and reports the failing step', async () => {
    const created = new Set<string>();
    const undone: string[] = [];
    const runner = new StepRunner(
      [new SetStep('schema', created), new SetStep('role', created), new SetStep('objects', created, { apply: sqlError('permission denied for schema public', '42501') })],
      { compensated: (step) => undone.push(step) },
    );
    const run = runner.run(tenant);
    await expect(run).rejects.toBeInstanceOf(StepFailedError);
    await expect(run).rejects.toMatchObject({ step: 'objects', code: 'TENANT_DB_REJECTED', retriable: false });
    expect(undone).toEqual(['role', 'schema']);
    expect(created.size).toBe(0);
  });

  it('undoes nothing on a retriable failure and rethrows it for the runtime to retry', async () => {
    const created = new Set<string>();
    const runner = new StepRunner([new SetStep('schema', created), new SetStep('role', created, { apply: sqlError('deadlock detected', '40P01') })]);
    await expect(runner.run(tenant)).rejects.toBeInstanceOf(RetriableError);
    expect([...created]).toEqual(['schema']);
  });

  it('keeps a permanent PlatformError thrown by a step as the reported failure', async () => {
    const runner = new StepRunner([new SetStep('quota', new Set(), { apply: new PermanentError('plan has no workspace', 'PLAN_WITHOUT_WORKSPACE') })]);
    await expect(runner.run(tenant)).rejects.toMatchObject({ step: 'quota', code: 'PLAN_WITHOUT_WORKSPACE' });
  });

  it('turns a failed compensation into a retriable error so the whole run is tried again', async () => {
    const created = new Set<string>();
    const runner = new StepRunner([
      new SetStep('schema', created, { compensate: sqlError('Connection terminated unexpectedly', 'ECONNRESET') }),
      new SetStep('objects', created, { apply: sqlError('division by zero', '22012') }),
    ]);
    const run = runner.run(tenant);
    await expect(run).rejects.toBeInstanceOf(CompensationFailedError);
    await expect(run).rejects.toMatchObject({ retriable: true, code: 'PROVISIONING_COMPENSATION_FAILED' });
  });
});
