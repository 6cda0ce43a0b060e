import { Client } from 'pg';

async function stopChild(child: import('node:child_process').ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 35_000);
  await exited;
  clearTimeout(timer);
}

export default async function globalTeardown(): Promise<void> {
  const platform = globalThis.__PLATFORM__;
  if (!platform) return;
  await Promise.all(platform.children.map(stopChild));
  await platform.sink.stop();
  const client = new Client({ connectionString: platform.settings.pgServerUrl });
  await client.connect();
  for (const name of Object.values(platform.settings.databases)) {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  await client.end();
}
