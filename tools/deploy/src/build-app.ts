import { transformFile } from '@swc/core';
import { builtinModules } from 'node:module';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { APP_SPECS, DEPLOY_APPS, DeployApp, isDeployApp } from './deploy-apps';

/**
 * Builds one app into a directory an image can run from: compiled JavaScript laid out as in the
 * repository (so `__dirname`-relative reads such as openapi.json and package.json still resolve),
 * the few files read by path, the root package.json and lock file for `npm ci --omit=dev`, and
 * one small file per entry point at the top (`main.js`, `migrate.js`, ...).
 *
 * SWC with the repository's .swcrc, the same compiler the tests and `serve` use, so decorator
 * metadata (NestJS injection) comes out as it does there. esbuild would be simpler but emits no
 * decorator metadata. Only files reachable from the entries are compiled: a spec or a test helper
 * can never end up in an image, and an import of a devDependency fails the build.
 */
export const ROOT = resolve(__dirname, '..', '..', '..');

export interface BuildResult {
  readonly app: DeployApp;
  readonly outDir: string;
  /** Repository-relative source files compiled. */
  readonly compiled: readonly string[];
  /** Entry files at the top of outDir. */
  readonly entries: readonly string[];
}

export function defaultOutDir(app: DeployApp): string {
  return join(ROOT, 'dist', 'apps', app);
}

interface RootManifest {
  dependencies?: Record<string, string>;
}

function swcOptions(): Record<string, unknown> {
  const swcrc = JSON.parse(readFileSync(join(ROOT, '.swcrc'), 'utf8')) as { jsc: Record<string, unknown> } & Record<string, unknown>;
  const { compilerOptions } = JSON.parse(readFileSync(join(ROOT, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
  const { $schema: _schema, ...rest } = swcrc;
  return {
    ...rest,
    swcrc: false,
    // Inline maps: stack traces point at the TypeScript with NODE_OPTIONS=--enable-source-maps.
    sourceMaps: 'inline',
    jsc: { ...swcrc.jsc, baseUrl: ROOT, paths: compilerOptions.paths },
  };
}

const BUILTINS = new Set(builtinModules);
const REQUIRE = /\brequire\((["'])([^"']+)\1\)/g;

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The file a relative require names, as TypeScript resolution would find it. */
function resolveSource(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier.replace(/\.(js|ts)$/, ''));
  const candidates = [`${base}.ts`, join(base, 'index.ts'), resolve(dirname(fromFile), specifier)];
  return candidates.find((file) => existsSync(file) && statSync(file).isFile());
}

export async function buildApp(app: DeployApp, outDir = defaultOutDir(app)): Promise<BuildResult> {
  const spec = APP_SPECS[app];
  const options = swcOptions();
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as RootManifest;
  const production = new Set(Object.keys(manifest.dependencies ?? {}));
  const problems: string[] = [];

  rmSync(outDir, { recursive: true, force: true });
  const queue = Object.values(spec.entries).map((entry) => join(ROOT, entry));
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const rel = relative(ROOT, file);
    if (rel.startsWith('..')) {
      problems.push(`${rel} is outside the repository`);
      continue;
    }
    if (!file.endsWith('.ts')) {
      copy(file, join(outDir, rel));
      continue;
    }
    if (/\.(int-|e2e-)?spec\.ts$/.test(file) || /(^|\/)(test|testing)\//.test(rel)) {
      problems.push(`${rel} is test code, reached from ${app}'s entry points`);
    }
    const { code } = await transformFile(file, { ...options, filename: file });
    for (const [, , specifier] of code.matchAll(REQUIRE)) {
      if (specifier.startsWith('.')) {
        const target = resolveSource(file, specifier);
        if (target) queue.push(target);
        else problems.push(`${rel} requires ${specifier}, which does not exist`);
      } else if (specifier.startsWith('@platform/')) {
        problems.push(`${rel} requires ${specifier}, which no tsconfig path rewrote`);
      } else if (!specifier.startsWith('node:') && !BUILTINS.has(specifier) && !production.has(packageName(specifier))) {
        problems.push(`${rel} requires ${specifier}, which is not in package.json's dependencies (the image installs only those)`);
      }
    }
    // swc keeps a path alias's target extension; Node needs the compiled file's.
    const js = code.replace(REQUIRE, (whole, quote: string, specifier: string) =>
      specifier.startsWith('.') && specifier.endsWith('.ts') ? `require(${quote}${specifier.slice(0, -3)}${quote})` : whole,
    );
    write(join(outDir, rel.replace(/\.ts$/, '.js')), js);
  }
  for (const asset of [...spec.assets, 'package.json', 'package-lock.json']) {
    if (existsSync(join(ROOT, asset))) copy(join(ROOT, asset), join(outDir, asset));
    else problems.push(`${asset} is listed for ${app} but does not exist`);
  }
  for (const [name, source] of Object.entries(spec.entries)) {
    const target = `./${source.replace(/\.ts$/, '.js')}`;
    write(join(outDir, name), `'use strict';\n// Entry point of the ${app} image: ${source}\nrequire(${JSON.stringify(target)});\n`);
  }
  // The image's HEALTHCHECK reads the app's default probe port from deploy.json.
  copy(join(ROOT, 'deploy/docker/healthcheck.js'), join(outDir, 'healthcheck.js'));
  write(join(outDir, 'deploy.json'), `${JSON.stringify({ app, entries: spec.entries, health: spec.healthPort ?? null }, null, 2)}\n`);
  if (problems.length > 0) throw new Error(`cannot build ${app}:\n  - ${problems.join('\n  - ')}`);
  return {
    app,
    outDir,
    compiled: [...seen].map((file) => relative(ROOT, file)).sort(),
    entries: Object.keys(spec.entries),
  };
}

function write(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

function copy(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

/** `build-app.ts [app...] [--out dir]`: every app when none is named; --out only with one app (the Dockerfile's use). */
async function main(args: string[]): Promise<void> {
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? resolve(args[outAt + 1] ?? '') : undefined;
  const named = args.filter((_, i) => outAt < 0 || (i !== outAt && i !== outAt + 1));
  const apps = named.length > 0 ? named : [...DEPLOY_APPS];
  if (out && apps.length !== 1) throw new Error('--out needs exactly one app');
  for (const app of apps) {
    if (!isDeployApp(app)) throw new Error(`unknown app "${app}"; apps: ${DEPLOY_APPS.join(', ')}`);
    const started = Date.now();
    const result = await buildApp(app, out);
    console.log(`${app}: ${result.compiled.length} files -> ${relative(ROOT, result.outDir)} (${result.entries.join(', ')}) in ${Date.now() - started} ms`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
