import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Tree, readJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { CONSUMERS_FILE, EVENT_TOPICS_FILE, EVENT_TYPES_FILE, TOPICS_FILE } from './contracts-catalog';
import { ConsumerGeneratorError } from './consumer-generator-error';
import { consumerGenerator } from './consumer.generator';
import { E2E_SETUP_FILE, STACK_FILE, UP_FILE } from './local-stack';

// The generator against a virtual tree holding the workspace's real contracts and stack files,
// so a change to those files that breaks the generator's edits fails here.

const ROOT = path.resolve(__dirname, '../../../..');
const REAL_FILES = [EVENT_TYPES_FILE, TOPICS_FILE, EVENT_TOPICS_FILE, CONSUMERS_FILE, STACK_FILE, UP_FILE, E2E_SETUP_FILE];

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
    expect(Object.keys(project.targets)).toEqual(['lint', 'test', 'int', 'serve']);
    expect(project.targets.int.command).toBe('jest -c apps/audit-log/jest.int.config.js --runInBand');

    const main = read(tree, 'apps/audit-log/src/main.ts');
    expect(main).toContain('runConsumerApp');
    expect(main).toContain('consumerDeclaration(Consumer.AuditLog)');
    expect(main).toContain("ordering: 'park'");
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
    expect(read(tree, 'apps/closer/src/main.ts')).toContain("ordering: 'strict-in-place'");
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

  it('still scaffolds when a local-stack file has changed shape, leaving that edit to be done by hand', async () => {
    const tree = workspaceTree(REAL_FILES.filter((f) => f !== UP_FILE && f !== E2E_SETUP_FILE));
    const done = await consumerGenerator(tree, { name: 'audit-log' });
    expect(tree.exists('apps/audit-log/src/main.ts')).toBe(true);
    expect(tree.exists(UP_FILE)).toBe(false);
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
