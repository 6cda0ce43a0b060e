import { Client, Pool } from 'pg';
import { RetriableError } from '@platform/contracts';
import { TenantsFixture, sqlState, tenantsFixture } from '../../test/tenant-fixtures';
import { TenantDatabase, inTenantTransaction } from '../tenants/tenant-transaction';
import { TenantWorkspace, ident } from '../tenants/tenant-workspace';
import { TenantsDatabaseUnavailableError, prepareTenantsDatabase } from '../tenants/tenants-database';
import type { ProvisioningStep } from './provisioning-step';
import { provisioningSteps } from './provisioning-steps';
import { StepFailedError, StepRunner } from './step-runner';

/** A real step whose SQL the server rejects for good, standing in for e.g. a quota table that refuses the plan. */
class SeedBillingStep implements ProvisioningStep {
  readonly name = 'seed-billing';
  constructor(private readonly db: TenantDatabase) {}
  async apply(tenant: TenantWorkspace): Promise<void> {
    await inTenantTransaction(this.db, tenant, (client) => client.query('SELECT 1 / 0 AS credits'));
  }
  async compensate(): Promise<void> {}
}

describe('provisioning steps against a real tenants database', () => {
  let fx: TenantsFixture;
  beforeAll(async () => {
    fx = await tenantsFixture('provisioning_steps_it');
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('run twice, they leave one schema, one role and one set of default settings', async () => {
    const tenant = fx.newTenant({ plan: 'team', locale: 'de-AT' });
    const runner = new StepRunner(provisioningSteps(fx.db));
    await runner.run(tenant);
    await runner.run(tenant);

    expect(await fx.schemaExists(tenant.schema)).toBe(true);
    expect(await fx.roleCount(tenant.role)).toBe(1);
    const role = await fx.db.pool.query('SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolconnlimit FROM pg_roles WHERE rolname = $1', [tenant.role]);
    expect(role.rows[0]).toEqual({ rolcanlogin: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolconnlimit: 5 });
    const settings = await fx.db.pool.query(`SELECT key, value FROM ${ident(tenant.schema)}.settings ORDER BY key`);
    expect(settings.rows).toEqual([
      { key: 'locale', value: 'de-AT' },
      { key: 'plan', value: 'team' },
      { key: 'timezone', value: 'UTC' },
    ]);
  });

  it('limits the role to its own schema', async () => {
    const tenant = fx.newTenant();
    const neighbour = fx.newTenant();
    const runner = new StepRunner(provisioningSteps(fx.db));
    await runner.run(tenant);
    await runner.run(neighbour);

    // Can create, write and read in its own schema, and change its settings.
    await fx.asRole(tenant.role, async (client) => {
      await client.query(`CREATE TABLE ${ident(tenant.schema)}.notes (id serial PRIMARY KEY, body text)`);
      await client.query(`INSERT INTO ${ident(tenant.schema)}.notes (body) VALUES ('hello')`);
      await client.query(`UPDATE ${ident(tenant.schema)}.settings SET value = '"Europe/Vienna"' WHERE key = 'timezone'`);
      const rows = await client.query(`SELECT body FROM notes`); // search_path is its schema
      expect(rows.rows).toEqual([{ body: 'hello' }]);
    });
    // Cannot create in public, cannot touch the neighbour, cannot restructure the platform's table.
    expect(await sqlState(fx.asRole(tenant.role, (c) => c.query('CREATE TABLE public.intruder (id int)')))).toBe('42501');
    expect(await sqlState(fx.asRole(tenant.role, (c) => c.query(`CREATE TABLE ${ident(neighbour.schema)}.intruder (id int)`)))).toBe('42501');
    expect(await sqlState(fx.asRole(tenant.role, (c) => c.query(`SELECT * FROM ${ident(neighbour.schema)}.settings`)))).toBe('42501');
    expect(await sqlState(fx.asRole(tenant.role, (c) => c.query(`ALTER TABLE ${ident(tenant.schema)}.settings ADD COLUMN x int`)))).toBe('42501');
    // The same, as the catalog sees it.
    const privileges = await fx.db.pool.query(
      `SELECT has_schema_privilege($1, 'public', 'CREATE') AS public_create,
              has_schema_privilege($1, $2, 'CREATE') AS own_create,
              has_schema_privilege($1, $3, 'USAGE') AS neighbour_usage`,
      [tenant.role, tenant.schema, neighbour.schema],
    );
    expect(privileges.rows[0]).toEqual({ public_create: false, own_create: true, neighbour_usage: false });
  });

  it('a permanent failure undoes the earlier steps: no schema, no role', async () => {
    const tenant = fx.newTenant();
    const runner = new StepRunner([...provisioningSteps(fx.db), new SeedBillingStep(fx.db)]);

    const run = runner.run(tenant);

    await expect(run).rejects.toBeInstanceOf(StepFailedError);
    await expect(run).rejects.toMatchObject({ step: 'seed-billing', code: 'TENANT_DB_REJECTED' });
    expect(await fx.schemaExists(tenant.schema)).toBe(false);
    expect(await fx.roleCount(tenant.role)).toBe(0);
  });

  it('compensation also removes what the tenant made in the meantime', async () => {
    const tenant = fx.newTenant();
    await new StepRunner(provisioningSteps(fx.db)).run(tenant);
    await fx.asRole(tenant.role, (c) => c.query(`CREATE TABLE ${ident(tenant.schema)}.early (id int)`));

    await expect(new StepRunner([...provisioningSteps(fx.db), new SeedBillingStep(fx.db)]).run(tenant)).rejects.toBeInstanceOf(StepFailedError);

    expect(await fx.schemaExists(tenant.schema)).toBe(false);
    expect(await fx.roleCount(tenant.role)).toBe(0);
  });

  it('a retriable failure (lock timeout) undoes nothing, and the retry completes', async () => {
    const tenant = fx.newTenant();
    const steps = provisioningSteps({ ...fx.db, lockTimeoutMs: 200 });
    await new StepRunner(steps).run(tenant);
    // Another session holds the settings table, as a long migration would.
    const blocker = new Client({ connectionString: fx.database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`LOCK TABLE ${ident(tenant.schema)}.settings IN ACCESS EXCLUSIVE MODE`);
      const run = new StepRunner(steps).run(tenant);
      await expect(run).rejects.toBeInstanceOf(RetriableError);
      await expect(run).rejects.toMatchObject({ code: 'TENANT_DB_CONTENTION' });
      expect(await fx.schemaExists(tenant.schema)).toBe(true);
      expect(await fx.roleCount(tenant.role)).toBe(1);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    await new StepRunner(steps).run(tenant);
    expect(await fx.schemaExists(tenant.schema)).toBe(true);
  });

  it('refuses to start without the tenants database, saying which and how to create it', async () => {
    const url = new URL(fx.database.url);
    url.pathname = '/tenants_that_do_not_exist';
    const pool = new Pool({ connectionString: url.toString(), max: 1 });
    try {
      const attempt = prepareTenantsDatabase(pool, url.toString());
      await expect(attempt).rejects.toBeInstanceOf(TenantsDatabaseUnavailableError);
      await expect(attempt).rejects.toThrow(/tenants database "tenants_that_do_not_exist" does not exist .*createdb -h <host> -U postgres tenants_that_do_not_exist/);
    } finally {
      await pool.end();
    }
  });
});
