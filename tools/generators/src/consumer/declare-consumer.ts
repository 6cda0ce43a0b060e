import type { Tree } from '@nx/devkit';
import { CONSUMERS_FILE, ContractConstant } from './contracts-catalog';
import { ConsumerGeneratorError } from './consumer-generator-error';
import type { ConsumerNames } from './consumer-names';

/**
 * Adds the consumer to contracts' `Consumer` names and `CONSUMERS` declarations. The declaration
 * is what `topics apply` derives the consumer's retry and dead-letter topics from, and what its
 * main.ts hands the runtime, so after this edit the consumer exists everywhere it must.
 */
export function declareConsumer(tree: Tree, consumer: ConsumerNames, topics: readonly ContractConstant[]): void {
  let text = tree.read(CONSUMERS_FILE, 'utf-8') ?? '';
  text = insertBefore(text, /(export const Consumer = \{[\s\S]*?)(\} as const;)/, `  ${consumer.className}: '${consumer.name}',\n`);
  const topicList = topics.map((t) => `Topic.${t.key}`).join(', ');
  text = insertBefore(
    text,
    /(export const CONSUMERS: readonly ConsumerDeclaration\[\] = \[[\s\S]*?\n)(\];)/,
    `  { name: Consumer.${consumer.className}, groupId: '${consumer.name}', topics: [${topicList}], retryDelaysMs: DEFAULT_RETRY_DELAYS_MS },\n`,
  );
  tree.write(CONSUMERS_FILE, text);
}

function insertBefore(text: string, anchor: RegExp, addition: string): string {
  const match = anchor.exec(text);
  if (!match) throw new ConsumerGeneratorError(`${CONSUMERS_FILE} no longer has the shape the generator edits (${anchor.source}); add the consumer by hand`, 'CONTRACTS_UNREADABLE');
  const at = match.index + match[1].length;
  // The entry before the insertion point must end with a comma for the array/object to stay valid.
  const before = text.slice(0, at).replace(/([^,\s{[])(\s*)$/, '$1,$2');
  return before + addition + text.slice(at);
}
