import type { Tree } from '@nx/devkit';
import { ConsumerGeneratorError } from './consumer-generator-error';

export const CONTRACTS_SRC = 'libs/contracts/src';
export const EVENT_TYPES_FILE = `${CONTRACTS_SRC}/event-types.ts`;
export const TOPICS_FILE = `${CONTRACTS_SRC}/topics.ts`;
export const EVENT_TOPICS_FILE = `${CONTRACTS_SRC}/event-topics.ts`;
export const CONSUMERS_FILE = `${CONTRACTS_SRC}/consumers.ts`;

/** A constant of the contracts lib: its key (what generated code names) and its value (what users type). */
export interface ContractConstant {
  readonly key: string;
  readonly value: string;
}

export interface EventChoice {
  readonly type: ContractConstant;
  readonly topic: ContractConstant;
}

/**
 * The contracts lib as source text in the tree, not as a module: the generator sees the tree it
 * edits (including a dry run's), and it runs in Nx's process, which should not load workspace code.
 */
export class ContractsCatalog {
  private constructor(
    private readonly eventTypes: readonly ContractConstant[],
    private readonly topics: readonly ContractConstant[],
    private readonly topicOfType: ReadonlyMap<string, string>,
    private readonly partitionsOfTopic: ReadonlyMap<string, number>,
    readonly consumers: readonly ContractConstant[],
  ) {}

  static read(tree: Tree): ContractsCatalog {
    return new ContractsCatalog(
      constantsOf(tree, EVENT_TYPES_FILE, 'EventType'),
      constantsOf(tree, TOPICS_FILE, 'Topic'),
      new Map([...source(tree, EVENT_TOPICS_FILE).matchAll(/\[EventType\.(\w+)\]:\s*Topic\.(\w+)/g)].map((m) => [m[1], m[2]])),
      new Map([...source(tree, TOPICS_FILE).matchAll(/\{\s*name:\s*Topic\.(\w+),\s*partitions:\s*(\d+)/g)].map((m) => [m[1], Number(m[2])])),
      constantsOf(tree, CONSUMERS_FILE, 'Consumer'),
    );
  }

  /** Resolves `account.created.v1` (or `AccountCreated`) to its constant and the topic that carries it. */
  event(typed: string): EventChoice {
    const type = this.eventTypes.find((t) => t.value === typed || t.key === typed);
    if (!type) {
      throw new ConsumerGeneratorError(`unknown event type "${typed}"; known: ${this.eventTypes.map((t) => t.value).join(', ')}`, 'EVENT_TYPE_UNKNOWN');
    }
    const topicKey = this.topicOfType.get(type.key);
    const topic = this.topics.find((t) => t.key === topicKey);
    if (!topic) throw new ConsumerGeneratorError(`${EVENT_TOPICS_FILE} names no topic for EventType.${type.key}`, 'CONTRACTS_UNREADABLE');
    return { type, topic };
  }

  /** How many partitions a source topic has (`SOURCE_TOPICS`): no more consumers than that get one. */
  partitions(topic: ContractConstant): number {
    const partitions = this.partitionsOfTopic.get(topic.key);
    if (partitions === undefined) throw new ConsumerGeneratorError(`${TOPICS_FILE} declares no partitions for Topic.${topic.key}`, 'CONTRACTS_UNREADABLE');
    return partitions;
  }
}

function source(tree: Tree, file: string): string {
  const text = tree.read(file, 'utf-8');
  if (text === null) throw new ConsumerGeneratorError(`${file} is missing; is this the platform workspace?`, 'CONTRACTS_UNREADABLE');
  return text;
}

/** The `Key: 'value'` entries of `export const <name> = { ... } as const`. */
function constantsOf(tree: Tree, file: string, name: string): ContractConstant[] {
  const block = new RegExp(`export const ${name} = \\{([\\s\\S]*?)\\} as const;`).exec(source(tree, file));
  if (!block) throw new ConsumerGeneratorError(`${file} has no "export const ${name} = { ... } as const"`, 'CONTRACTS_UNREADABLE');
  return [...block[1].matchAll(/^\s*(\w+):\s*'([^']+)'/gm)].map((m) => ({ key: m[1], value: m[2] }));
}
