import { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { APPS, AppName } from '@platform/dev-stack';

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

export default async function globalTeardown(): Promise<void> {
  const platform = globalThis.__PLATFORM__;
  if (!platform) return;
  const exitCodes = await Promise.all(platform.children.map(stopChild));
  await platform.sink.stop();
  const client = new Client({ connectionString: platform.settings.pgServerUrl });
  await client.connect();
  for (const name of Object.values(platform.settings.databases)) {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  await client.end();
  const unclean = DRAINING_APPS.filter((app) => exitCodes[APPS.indexOf(app)] !== 0);
  if (unclean.length > 0) throw new Error(`did not drain and exit 0 on SIGTERM: ${unclean.map((app) => `${app} (${exitCodes[APPS.indexOf(app)]})`).join(', ')}`);
}
