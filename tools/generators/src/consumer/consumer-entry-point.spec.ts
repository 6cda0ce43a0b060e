import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { CONSUMERS_FILE, EVENT_TOPICS_FILE, EVENT_TYPES_FILE, TOPICS_FILE } from './contracts-catalog';
import { consumerGenerator } from './consumer.generator';

// Every consumer starts the same way, through the runtime's entry point: the hand-written apps
// (every project tagged scope:consumer) and the one the generator writes. A main.ts that grew its
// own start-up again (config, pools, signals) fails here by its length or its imports.

const ROOT = path.resolve(__dirname, '../../../..');
const MAX_MAIN_LINES = 25;

const handWrittenConsumers = readdirSync(path.join(ROOT, 'apps')).filter((app) => {
  const project = JSON.parse(readFileSync(path.join(ROOT, 'apps', app, 'project.json'), 'utf-8')) as { tags?: string[] };
  return project.tags?.includes('scope:consumer');
});

async function generatedMain(): Promise<string> {
  const tree = createTreeWithEmptyWorkspace();
  for (const file of [EVENT_TYPES_FILE, TOPICS_FILE, EVENT_TOPICS_FILE, CONSUMERS_FILE]) tree.write(file, readFileSync(path.join(ROOT, file), 'utf-8'));
  await consumerGenerator(tree, { name: 'audit-log' });
  return tree.read('apps/audit-log/src/main.ts', 'utf-8') ?? '';
}

function expectRuntimeEntryPoint(main: string): void {
  const lines = main.trimEnd().split('\n');
  expect(lines.length).toBeLessThanOrEqual(MAX_MAIN_LINES);
  expect(main).toMatch(/^import \{ runConsumer \} from '@platform\/consumer-runtime';$/m);
  expect(main).toMatch(/^void runConsumer\(\{$/m);
  expect(main).toMatch(/^ {2}consumer: consumerDeclaration\(Consumer\.\w+\),$/m);
  // What the runtime does for it, main.ts does not do again.
  for (const own of ['runConsumerApp', 'process.env', 'new Pool', 'EventPublisher', 'process.exit', 'process.on']) expect(main).not.toContain(own);
}

describe('the consumer entry point', () => {
  it('finds the hand-written consumers', () => {
    expect(handWrittenConsumers).toEqual(expect.arrayContaining(['abuse-scan', 'provisioning', 'welcome-email']));
  });

  it.each(handWrittenConsumers)('%s starts through runConsumer, in a main.ts of at most 25 lines', (app) => {
    expectRuntimeEntryPoint(readFileSync(path.join(ROOT, 'apps', app, 'src/main.ts'), 'utf-8'));
  });

  it('the generated consumer starts the same way', async () => {
    expectRuntimeEntryPoint(await generatedMain());
  });
});
