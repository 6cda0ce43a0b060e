import { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { APPS, AppName, StackSettings, databaseUrl } from '@platform/dev-stack';

// These drain on SIGTERM and exit 0 by themselves; a different exit means a shutdown that did not
// finish (accounts leaves it to Nest, which re-raises the signal after closing).
const DRAINING_APPS: readonly AppName[] = ['accounts-relay', 'welcome-email', 'abuse-scan', 'provisioning'];

async function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 35_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/**
 * Roles are cluster-wide and outlive the tenants database, so the workspaces provisioned in this
 * run take their roles with them here; compensated and deprovisioned ones are gone already.
 */
async function dropTenantRoles(settings: StackSettings): Promise<void> {
  const client = new Client({ connectionString: databaseUrl(settings, 'tenants') });
  try {
    await client.connect();
    const { rows } = await client.query<{ role: string }>(
      `SELECT r.rolname AS role FROM pg_catalog.pg_roles r JOIN pg_catalog.pg_namespace n ON n.nspname = r.rolname WHERE r.rolname LIKE 'tenant\\_%'`,
    );
    for (const { role } of rows) {
      await client.query(`DROP OWNED BY "${role}"`);
      await client.query(`DROP ROLE "${role}"`);
    }
  } catch (error) {
    // Left-over roles are untidy, not wrong; the run's own verdict must not depend on them.
    console.warn(`could not drop this run's tenant roles: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export default async function globalTeardown(): Promise<void> {
  const platform = globalThis.__PLATFORM__;
  if (!platform) return;
  const exitCodes = await Promise.all(platform.children.map(stopChild));
  await platform.sink.stop();
  await platform.otlp.stop();
  await dropTenantRoles(platform.settings);
  const client = new Client({ connectionString: platform.settings.pgServerUrl });
  await client.connect();
  for (const name of Object.values(platform.settings.databases)) {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  await client.end();
  const unclean = DRAINING_APPS.filter((app) => exitCodes[APPS.indexOf(app)] !== 0);
  if (unclean.length > 0) throw new Error(`did not drain and exit 0 on SIGTERM: ${unclean.map((app) => `${app} (${exitCodes[APPS.indexOf(app)]})`).join(', ')}`);
}
