import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuildResult, ROOT, buildApp } from './build-app';
import { APP_SPECS, DEPLOY_APPS, DeployApp, IMAGE_NODE_OPTIONS } from './deploy-apps';

/**
 * The images run what the build produces: every app builds (decorator metadata included), its
 * entry points exist, and the built accounts and a built consumer start far enough to read their
 * configuration, which loads NestJS and every module. No Docker engine is needed for any of it.
 */
describe('app build (what the Dockerfile runs)', () => {
  const out = mkdtempSync(join(tmpdir(), 'deploy-build-'));
  const builds = {} as Record<DeployApp, BuildResult>;

  beforeAll(async () => {
    for (const app of DEPLOY_APPS) builds[app] = await buildApp(app, join(out, app));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it.each(DEPLOY_APPS)('%s builds with its entry points, its assets and nothing from tests', (app) => {
    const build = builds[app];
    for (const entry of Object.keys(APP_SPECS[app].entries)) expect(existsSync(join(build.outDir, entry))).toBe(true);
    for (const asset of APP_SPECS[app].assets) expect(existsSync(join(build.outDir, asset))).toBe(true);
    expect(build.compiled.filter((file) => /\.(int-|e2e-)?spec\.ts$|\/test\/|libs\/testing\//.test(file))).toEqual([]);
    expect(JSON.parse(readFileSync(join(build.outDir, 'deploy.json'), 'utf8'))).toMatchObject({ app, entries: APP_SPECS[app].entries });
  });

  it('keeps decorator metadata, which NestJS injection needs', () => {
    const service = readFileSync(join(builds.accounts.outDir, 'apps/accounts/src/accounts/create-account.service.js'), 'utf8');
    expect(service).toContain('design:paramtypes');
  });

  it.each([
    ['accounts', { PORT: 'eighty' }, /PORT must be an integer/],
    ['accounts-relay', { RELAY_HEALTH_PORT: 'x' }, /RELAY_HEALTH_PORT must be an integer/],
    ['welcome-email', { HEALTH_PORT: 'x' }, /HEALTH_PORT must be an integer/],
  ] as const)('built %s starts and names a bad setting', (app, env, message) => {
    const run = spawnSync(process.execPath, [join(builds[app].outDir, 'main.js')], {
      // The image has node_modules beside the app; here the repository's stand in for them.
      env: { PATH: process.env.PATH, NODE_PATH: join(ROOT, 'node_modules'), ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toMatch(message);
  });

  it('built ops CLI answers --help', () => {
    const run = spawnSync(process.execPath, [join(builds.ops.outDir, 'main.js'), '--help'], { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH, NODE_PATH: join(ROOT, 'node_modules') } });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/topics/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');

  it('builds with the same build as the nx build target and runs the default entry point', () => {
    expect(dockerfile).toMatch(/tools\/deploy\/src\/build-app\.ts "\$APP" --out \/out/);
    expect(dockerfile).toMatch(/^CMD \["main\.js"\]$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--", "node"\]$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*CMD \["node", "healthcheck\.js"\]$/m);
    // What an app without heap sizes of its own runs with (deploy-apps.ts, nodeOptions).
    expect(dockerfile).toContain(`NODE_OPTIONS=${IMAGE_NODE_OPTIONS}`);
  });

  it('runs as a numeric non-root user with production dependencies only', () => {
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
  });

  it('copies only paths that exist into the build stage', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(/\s+/));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect([source, existsSync(join(ROOT, source))]).toEqual([source, true]);
  });

  it('keeps dependencies, jars and local data out of the build context', () => {
    for (const pattern of ['**/node_modules', 'dist', '.local', 'tools/kafka/lib', '.git', '.env']) expect(dockerignore).toContain(pattern);
  });

  it('has an nx image target and a build target for every app', () => {
    for (const app of DEPLOY_APPS) {
      const project = JSON.parse(readFileSync(join(ROOT, 'apps', app, 'project.json'), 'utf8')) as { targets: Record<string, { command?: string }> };
      expect(project.targets.build?.command).toContain(`tools/deploy/src/build-app.ts ${app}`);
      expect(project.targets.image?.command).toContain(`--build-arg APP=${app}`);
    }
  });
});
