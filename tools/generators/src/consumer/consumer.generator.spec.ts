import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Tree, readJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { CONSUMERS_FILE, EVENT_TOPICS_FILE, EVENT_TYPES_FILE, TOPICS_FILE } from './contracts-catalog';
import { ConsumerGeneratorError } from './consumer-generator-error';
import { consumerGenerator } from './consumer.generator';
import { E2E_SETUP_FILE, STACK_FILE, UP_FILE } from './local-stack';
import { COMPOSE_DATABASES_FILE, COMPOSE_ENV_EXAMPLE, COMPOSE_FILE, DEPLOY_APPS_FILE, DEPLOY_DOC, K8S_BASE, K8S_DEV, K8S_PROD } from './deployment';

// The generator against a virtual tree holding the workspace's real contracts and stack files,
// so a change to those files that breaks the generator's edits fails here.

const ROOT = path.resolve(__dirname, '../../../..');
const DEPLOY_FILES = [DEPLOY_APPS_FILE, COMPOSE_FILE, COMPOSE_DATABASES_FILE, COMPOSE_ENV_EXAMPLE, K8S_BASE, K8S_DEV, K8S_PROD, DEPLOY_DOC];
const REAL_FILES = [EVENT_TYPES_FILE, TOPICS_FILE, EVENT_TOPICS_FILE, CONSUMERS_FILE, STACK_FILE, UP_FILE, E2E_SETUP_FILE, ...DEPLOY_FILES];

function workspaceTree(files: readonly string[] = REAL_FILES): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const file of files) tree.write(file, readFileSync(path.join(ROOT, file), 'utf-8'));
  return tree;
}

const read = (tree: Tree, file: string) => tree.read(file, 'utf-8') ?? '';

describe('consumer generator', () => {
  it('scaffolds the app with the tags and targets of the other consumers', async () => {
    const tree = workspaceTree();
    await consumerGenerator(tree, { name: 'audit-log' });

    for (const file of [
      'project.json',
      'jest.config.js',
      'jest.int.config.js',
      'src/main.ts',
      'src/audit-log.start.ts',
      'src/telemetry.ts',
      'src/config.ts',
      'src/config.spec.ts',
      'src/audit-log.module.ts',
      'src/audit-log.controller.ts',
      'src/audit-log.handler.ts',
      'src/audit-log.handler.spec.ts',
      'src/audit-log.wiring.int-spec.ts',
    ]) {
      expect(tree.exists(`apps/audit-log/${file}`)).toBe(true);
    }
    const project = readJson(tree, 'apps/audit-log/project.json');
    expect(project).toMatchObject({ name: 'audit-log', projectType: 'application', tags: ['type:app', 'scope:consumer'] });
    expect(Object.keys(project.targets)).toEqual(['build', 'image', 'lint', 'test', 'int', 'serve']);
    expect(project.targets.build.command).toContain('tools/deploy/src/build-app.ts audit-log');
    expect(project.targets.image.command).toContain('--build-arg APP=audit-log');
    expect(project.targets.int.command).toBe('jest -c apps/audit-log/jest.int.config.js --runInBand');

    const main = read(tree, 'apps/audit-log/src/main.ts');
    expect(main).toContain('consumerDeclaration(Consumer.AuditLog)');
    expect(main).toContain('start: startAuditLog');
    expect(read(tree, 'apps/audit-log/src/audit-log.start.ts')).toContain("ordering: 'park'");
    expect(main.startsWith("import './telemetry';")).toBe(true);
    expect(read(tree, 'apps/audit-log/src/telemetry.ts')).toContain("startTelemetry('audit-log')");
    expect(read(tree, 'apps/audit-log/src/config.ts')).toContain("INBOX_SCHEMA = 'audit_log'");
    expect(read(tree, 'apps/audit-log/src/audit-log.wiring.int-spec.ts')).toContain("from '@platform/consumer-runtime/testing'");
  });

  it('declares the consumer in contracts, reading the topic its events travel on', async () => {
    const tree = workspaceTree();
    await consumerGenerator(tree, { name: 'audit-log', events: 'account.created.v1,abuse.verdict.v1' });

    const consumers = read(tree, CONSUMERS_FILE);
    expect(consumers).toMatch(/export const Consumer = \{[\s\S]*AuditLog: 'audit-log',\n\} as const;/);
    expect(consumers).toContain(
      "  { name: Consumer.AuditLog, groupId: 'audit-log', topics: [Topic.AccountLifecycle, Topic.AbuseVerdicts], retryDelaysMs: DEFAULT_RETRY_DELAYS_MS },\n];",
    );
    // Everything that was declared before still is.
    const before = readFileSync(path.join(ROOT, CONSUMERS_FILE), 'utf-8');
    for (const line of before.split('\n').filter((l) => l.trim().startsWith('{ name: Consumer.'))) expect(consumers).toContain(line);
  });

  it('writes one controller method, handler method and spec per event type', async () => {
    const tree = workspaceTree();
    await consumerGenerator(tree, { name: 'closer', events: 'account.closed.v1, AccountSuspended,account.closed.v1', ordering: 'strict-in-place' });

    const controller = read(tree, 'apps/closer/src/closer.controller.ts');
    expect(controller.match(/@EventHandler\(EventType\.\w+\)/g)).toEqual(['@EventHandler(EventType.AccountClosed)', '@EventHandler(EventType.AccountSuspended)']);
    expect(read(tree, 'apps/closer/src/closer.handler.ts').match(/async handle\w+/g)).toEqual(['async handleAccountClosed', 'async handleAccountSuspended']);
    expect(read(tree, 'apps/closer/src/closer.handler.spec.ts').match(/it\('handles [^']+'/g)).toEqual(["it('handles account.closed.v1'", "it('handles account.suspended.v1'"]);
    expect(read(tree, 'apps/closer/src/closer.start.ts')).toContain("ordering: 'strict-in-place'");
  });

  it('gives the consumer a database, a port, its environment and its entry in the local stack', async () => {
    const tree = workspaceTree();
    await consumerGenerator(tree, { name: 'audit-log' });

    const stack = read(tree, STACK_FILE);
    expect(stack).toMatch(/export const SERVICE_DATABASES = \[[^\]]*'audit_log'\] as const;/);
    expect(stack).toMatch(/export const APPS = \[[^\]]*'audit-log'\] as const;/);
    expect(stack).toMatch(/DEV_PORTS[^}]*'audit-log': 3204,\n\};/);
    expect(stack).toContain("  'audit-log': 'apps/audit-log/src/main.ts',\n};");
    expect(stack).toContain("    case 'audit-log':\n      return { ...common, HEALTH_PORT: String(s.ports['audit-log']), DATABASE_URL: databaseUrl(s, 'audit_log') };");
    expect(read(tree, UP_FILE)).toMatch(/databases: \{[^}]*, audit_log: 'audit_log' \}/);
    expect(read(tree, E2E_SETUP_FILE)).toMatch(/ports: \{[^}]*, 'audit-log': base \+ 5 \}/);
    expect(read(tree, 'apps/audit-log/src/config.ts')).toContain('DEFAULT_HEALTH_PORT = 3204');

    // The next one gets the next port.
    await consumerGenerator(tree, { name: 'second-one' });
    expect(read(tree, STACK_FILE)).toContain("'second-one': 3205,");
    expect(read(tree, E2E_SETUP_FILE)).toContain("'second-one': base + 6 }");
  });

  it('puts the consumer in the deploy table, docker-compose.yml and k8s/, like the hand-written consumers', async () => {
    const tree = workspaceTree();
    await consumerGenerator(tree, { name: 'audit-log' });

    const apps = read(tree, DEPLOY_APPS_FILE);
    expect(apps).toMatch(/export const DEPLOY_APPS = \[[^\]]*'audit-log'\] as const;/);
    expect(apps).toContain("  'audit-log': {\n    entries: { 'main.js': 'apps/audit-log/src/main.ts' },\n    assets: [],\n    healthPort: { variable: 'HEALTH_PORT', port: 3204 },\n    heap: CONSUMER_HEAP,\n  },\n};");

    const compose = read(tree, COMPOSE_FILE);
    const service = /\n  audit-log:\n(?: {4}.*\n)+/.exec(compose)?.[0] ?? '';
    expect(service).toContain('    image: account-platform/audit-log:${PLATFORM_TAG:-dev}\n');
    expect(service).toContain('      HEALTH_PORT: "3204"\n      DATABASE_URL: postgres://postgres@postgres:5432/audit_log\n');
    expect(service).toContain('      - 127.0.0.1:${AUDIT_LOG_HOST_PORT:-3204}:3204\n    depends_on: *after-setup\n');
    // After the other apps, before the command-line tools.
    expect(compose.indexOf('\n  audit-log:')).toBeGreaterThan(compose.indexOf('\n  provisioning:'));
    expect(compose.indexOf('\n  audit-log:')).toBeLessThan(compose.indexOf('\n  api-keys:'));
    expect(read(tree, COMPOSE_DATABASES_FILE)).toMatch(/\nCREATE DATABASE audit_log;\n$/);
    expect(read(tree, COMPOSE_ENV_EXAMPLE)).toContain('PROVISIONING_HOST_PORT=3203\nAUDIT_LOG_HOST_PORT=3204\n');

    const manifests = read(tree, 'k8s/base/apps/audit-log.yaml');
    expect(manifests.match(/^kind: \w+$/gm)).toEqual(['kind: Deployment', 'kind: ScaledObject', 'kind: PodDisruptionBudget', 'kind: NetworkPolicy']);
    expect(manifests).toContain('containerPort: 3204');
    expect(manifests).toContain('maxReplicaCount: 6');
    expect(manifests.match(/topic: .*/g)).toEqual(['topic: accounts.lifecycle.v1']);
    const base = read(tree, K8S_BASE);
    expect(base).toContain('  - apps/provisioning.yaml\n  - apps/audit-log.yaml\n');
    expect(base).toContain('  - name: audit-log-env\n    literals:\n      - HEALTH_PORT=3204\n');
    expect(read(tree, K8S_DEV)).toContain('  - name: account-platform/ops\n    newTag: dev\n  - name: account-platform/audit-log\n    newTag: dev\n');
    expect(read(tree, K8S_PROD)).toContain('  - name: account-platform/audit-log\n    newTag: 0.1.0\n');
    expect(read(tree, K8S_DEV)).toContain('  - name: audit-log-database\n    literals:\n      - url=postgres://postgres@postgres:5432/audit_log\n');
    expect(read(tree, K8S_DEV)).not.toContain('name: audit-log\n    patch');
    expect(read(tree, DEPLOY_DOC)).toContain("create secret generic audit-log-database --from-literal=url='postgres://audit_log:PASSWORD@db.internal:5432/audit_log'\n");
  });

  it('scales a consumer of several topics on each, pointing every trigger at the dev listener in dev', async () => {
    const tree = workspaceTree();
    await consumerGenerator(tree, { name: 'audit-log', events: 'account.created.v1,abuse.verdict.v1' });

    expect(read(tree, 'k8s/base/apps/audit-log.yaml').match(/topic: .*/g)).toEqual(['topic: accounts.lifecycle.v1', 'topic: abuse.verdicts.v1']);
    expect(read(tree, K8S_DEV)).toMatch(
      /  - target:\n      kind: ScaledObject\n      name: audit-log\n    patch: \|-\n      - op: replace\n        path: \/spec\/triggers\/1\/metadata\/bootstrapServers\n        value: platform-kafka-bootstrap:9092\n      - op: remove\n        path: \/spec\/triggers\/1\/authenticationRef\n$/,
    );
  });

  it('still scaffolds when a local-stack or deploy file has changed shape, leaving that edit to be done by hand', async () => {
    const tree = workspaceTree(REAL_FILES.filter((f) => f !== UP_FILE && f !== E2E_SETUP_FILE && f !== COMPOSE_FILE));
    const done = await consumerGenerator(tree, { name: 'audit-log' });
    expect(tree.exists('apps/audit-log/src/main.ts')).toBe(true);
    expect(tree.exists(UP_FILE)).toBe(false);
    expect(tree.exists(COMPOSE_FILE)).toBe(false);
    expect(read(tree, K8S_BASE)).toContain('  - apps/audit-log.yaml\n');
    expect(typeof done).toBe('function');
  });

  it.each([
    [{ name: 'Audit_Log' }, 'CONSUMER_NAME_INVALID'],
    [{ name: 'welcome-email' }, 'CONSUMER_EXISTS'],
    [{ name: 'audit-log', events: 'account.renamed.v1' }, 'EVENT_TYPE_UNKNOWN'],
    [{ name: 'audit-log', events: ' , ' }, 'EVENT_TYPE_UNKNOWN'],
  ])('refuses %j (%s) and writes nothing', async (options, code) => {
    const tree = workspaceTree();
    const before = tree.listChanges().length;
    const error = await consumerGenerator(tree, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsumerGeneratorError);
    expect((error as ConsumerGeneratorError).code).toBe(code);
    expect(tree.listChanges()).toHaveLength(before);
    expect(read(tree, CONSUMERS_FILE)).toBe(readFileSync(path.join(ROOT, CONSUMERS_FILE), 'utf-8'));
  });
});
