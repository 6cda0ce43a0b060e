import path from 'node:path';
import { GeneratorCallback, Tree, generateFiles, logger } from '@nx/devkit';
import { ContractsCatalog, EventChoice } from './contracts-catalog';
import { ConsumerGeneratorError } from './consumer-generator-error';
import { consumerNames } from './consumer-names';
import { declareConsumer } from './declare-consumer';
import { placeInLocalStack } from './local-stack';
import type { ConsumerGeneratorOptions } from './schema';

export const DEFAULT_EVENTS = 'account.created.v1';

/**
 * `npx nx g @platform/generators:consumer <name> --events account.created.v1[,...]`
 *
 * Writes apps/<name> (main, config, module, controller, handler, a unit spec, an integration spec
 * over the real broker), declares the consumer in libs/contracts so its retry and dead-letter
 * topics exist after `topics apply`, and adds it to the local stack. Everything is checked before
 * anything is written, so a refused run leaves the tree as it was.
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

  declareConsumer(tree, consumer, topics);
  const stack = placeInLocalStack(tree, consumer);
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
    logger.info(`
${consumer.name} is scaffolded. Next (docs/adding-a-consumer.md):
  npm run ops -- topics apply --execute          # its retry and dead-letter topics
  npx nx test ${consumer.name}                   # unit specs
  npx nx int ${consumer.name}                    # over a real broker (KAFKA_BROKERS, PostgreSQL)
  createdb -h 127.0.0.1 -U postgres ${consumer.snakeName} && npx nx serve ${consumer.name}
`);
  };
}

function uniqueEvents(catalog: ContractsCatalog, list: string): EventChoice[] {
  const typed = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (typed.length === 0) throw new ConsumerGeneratorError('--events names no event type', 'EVENT_TYPE_UNKNOWN');
  const events = typed.map((t) => catalog.event(t));
  return [...new Map(events.map((e) => [e.type.key, e])).values()];
}

export default consumerGenerator;
