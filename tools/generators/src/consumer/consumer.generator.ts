import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { GeneratorCallback, Tree, generateFiles, logger } from '@nx/devkit';
import { ContractsCatalog, EventChoice } from './contracts-catalog';
import { ConsumerGeneratorError } from './consumer-generator-error';
import { consumerNames } from './consumer-names';
import { declareConsumer } from './declare-consumer';
import { placeInDeployment } from './deployment';
import { placeInLocalStack } from './local-stack';
import type { ConsumerGeneratorOptions } from './schema';

export const DEFAULT_EVENTS = 'account.created.v1';

/**
 * `npx nx g @platform/generators:consumer <name> --events account.created.v1[,...]`
 *
 * Writes apps/<name> (main, config, module, controller, handler, a unit spec, an integration spec
 * over the real broker), declares the consumer in libs/contracts so its retry and dead-letter
 * topics exist after `topics apply`, and adds it to the local stack and to the deploy files
 * (docker-compose.yml, k8s/). Everything is checked before anything is written, so a refused run
 * leaves the tree as it was.
 */
export async function consumerGenerator(tree: Tree, options: ConsumerGeneratorOptions): Promise<GeneratorCallback> {
  const consumer = consumerNames(options.name);
  const catalog = ContractsCatalog.read(tree);
  const appRoot = `apps/${consumer.name}`;
  if (tree.exists(appRoot)) throw new ConsumerGeneratorError(`${appRoot} exists already`, 'CONSUMER_EXISTS');
  if (catalog.consumers.some((c) => c.value === consumer.name || c.key === consumer.className)) {
    throw new ConsumerGeneratorError(`contracts already declare a consumer "${consumer.name}" (Consumer.${consumer.className})`, 'CONSUMER_EXISTS');
  }
  const events = uniqueEvents(catalog, options.events ?? DEFAULT_EVENTS);
  const topics = [...new Map(events.map((e) => [e.topic.key, e.topic])).values()];
  const ordering = options.ordering ?? 'park';
  const maxReplicas = Math.min(...topics.map((t) => catalog.partitions(t)));

  declareConsumer(tree, consumer, topics);
  const stack = placeInLocalStack(tree, consumer);
  const deploySteps = placeInDeployment(tree, consumer, { port: stack.port, topics, maxReplicas });
  generateFiles(tree, path.join(__dirname, 'files'), appRoot, {
    ...consumer,
    fileName: consumer.name,
    events,
    topics,
    ordering,
    healthPort: stack.port,
  });

  return () => {
    for (const step of stack.manualSteps) logger.warn(`local stack: could not edit ${step}; do it by hand`);
    for (const step of deploySteps) logger.warn(`deploy files: could not edit ${step}; do it by hand`);
    regenerateKafkaManifests(tree.root);
    logger.info(`
${consumer.name} is scaffolded. Next (docs/adding-a-consumer.md):
  npm run ops -- topics apply --execute          # its retry and dead-letter topics
  npx nx test ${consumer.name}                   # unit specs
  npx nx int ${consumer.name}                    # over a real broker (KAFKA_BROKERS, PostgreSQL)
  createdb -h 127.0.0.1 -U postgres ${consumer.snakeName} && npx nx serve ${consumer.name}
`);
  };
}

/**
 * The KafkaTopics, KafkaUser and ACLs in k8s/base/kafka derive from contracts, which now declare
 * the consumer: the deploy tool's own generator rewrites them, run once the tree is on disk.
 */
function regenerateKafkaManifests(root: string): void {
  try {
    execFileSync(process.execPath, ['-r', '@swc-node/register', 'tools/deploy/src/generate.ts'], {
      cwd: root,
      env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    logger.info('k8s/base/kafka: regenerated from contracts (its retry and dead-letter topics, its KafkaUser and ACLs)');
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    logger.warn(`k8s/base/kafka: could not regenerate (${stderr || (error as Error).message}); run npx nx run deploy:generate`);
  }
}

function uniqueEvents(catalog: ContractsCatalog, list: string): EventChoice[] {
  const typed = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (typed.length === 0) throw new ConsumerGeneratorError('--events names no event type', 'EVENT_TYPE_UNKNOWN');
  const events = typed.map((t) => catalog.event(t));
  return [...new Map(events.map((e) => [e.type.key, e])).values()];
}

export default consumerGenerator;
