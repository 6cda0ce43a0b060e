import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The version of the service: the workspace's package.json is the only one, and every app ships
 * from it. Read as data rather than imported, since apps may not import files outside their project.
 */
export function appVersion(): string {
  const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error('package.json has no version');
  return manifest.version;
}
