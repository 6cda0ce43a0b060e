import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSUMERS } from '@platform/contracts';
import { SERVICE_DATABASES } from '@platform/dev-stack';
import { ROOT } from './build-app';
import { APP_SPECS, DeployApp, IMAGE_NODE_OPTIONS, imageName, isDeployApp, nodeOptions, servedApps } from './deploy-apps';
import { ComposeFile, composeConfig, entryScript } from './rendered';

// Every app with a health port (all but the ops CLI), so a generated consumer is checked like the others.
const PLATFORM_APPS = servedApps();
const INFRASTRUCTURE = ['kafka', 'postgres', 'mailpit', 'otel-collector', 'jaeger', 'prometheus'];
const ONE_SHOTS = ['migrate', 'topics'];

describe('docker-compose.yml', () => {
  const result = composeConfig();
  const compose = result.config as ComposeFile;
  const services = compose?.services ?? {};

  it('is valid for docker-compose (no Docker engine needed)', () => {
    expect(result.output).not.toMatch(/invalid|error/i);
    expect(result.ok).toBe(true);
  });

  it('has every service the platform needs', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining([...INFRASTRUCTURE, ...ONE_SHOTS, ...PLATFORM_APPS]));
    expect(services.kafka.image).toMatch(/^apache\/kafka:3\.9\./);
  });

  it('runs every consumer the contracts declare', () => {
    for (const consumer of CONSUMERS) expect([consumer.name, consumer.name in services]).toEqual([consumer.name, true]);
  });

  it('points every depends_on at a service that exists', () => {
    for (const [name, service] of Object.entries(services)) {
      const targets = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const target of targets) expect([name, target, target in services]).toEqual([name, target, true]);
    }
  });

  it('starts the apps after healthy infrastructure and completed one-shots', () => {
    for (const app of PLATFORM_APPS) {
      expect([app, services[app].depends_on]).toEqual([
        app,
        expect.objectContaining({
          postgres: { condition: 'service_healthy' },
          kafka: { condition: 'service_healthy' },
          migrate: { condition: 'service_completed_successfully' },
          topics: { condition: 'service_completed_successfully' },
        }),
      ]);
    }
    expect(services.kafka.healthcheck).toBeDefined();
    expect(JSON.stringify(services.postgres.healthcheck?.test)).toContain('pg_isready');
  });

  it("runs in each image an entry point that image's build produces", () => {
    const built = Object.entries(services).filter(([, s]) => s.build);
    expect(built.length).toBeGreaterThanOrEqual(PLATFORM_APPS.length + ONE_SHOTS.length);
    for (const [name, service] of built) {
      const app = service.build?.args?.APP ?? '';
      expect([name, isDeployApp(app)]).toEqual([name, true]);
      expect(service.image?.split(':')[0]).toBe(imageName(app as DeployApp));
      const script = entryScript(service.entrypoint, service.command) ?? 'main.js';
      expect([name, Object.keys(APP_SPECS[app as DeployApp].entries)]).toEqual([name, expect.arrayContaining([script])]);
    }
  });

  it('serves each app on the port its configuration says, published as in the README', () => {
    for (const app of PLATFORM_APPS) {
      const { variable, port } = APP_SPECS[app].healthPort!;
      expect([app, services[app].environment?.[variable]]).toEqual([app, String(port)]);
      // Containers must listen on their own address, not loopback.
      expect(services[app].environment?.[app === 'accounts' || app === 'accounts-relay' ? 'HOST' : 'HEALTH_HOST']).toBe('0.0.0.0');
      expect(JSON.stringify(services[app].ports)).toContain(`127.0.0.1:${port}:${port}`);
      // The image's default NODE_OPTIONS unless the app has a heap cap of its own.
      expect([app, services[app].environment?.NODE_OPTIONS ?? IMAGE_NODE_OPTIONS]).toEqual([app, nodeOptions(app)]);
    }
  });

  it('creates the databases the apps connect to', () => {
    const init = readFileSync(join(ROOT, 'deploy/compose/postgres-init.sql'), 'utf8');
    for (const database of SERVICE_DATABASES) expect(init).toContain(`CREATE DATABASE ${database};`);
    const urls = Object.values(services).flatMap((s) => Object.entries(s.environment ?? {}).filter(([k]) => k.endsWith('DATABASE_URL')).map(([, v]) => v ?? ''));
    for (const url of urls) expect(SERVICE_DATABASES).toContain(new URL(url).pathname.slice(1));
  });

  it('documents every variable it reads in .env.example', () => {
    const file = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    const used = new Set([...file.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]).filter((v) => v !== 'USER'));
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    const declared = new Set([...example.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect([...used].filter((v) => !declared.has(v))).toEqual([]);
  });
});
