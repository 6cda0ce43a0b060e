import type { ConsumerDeclaration } from './consumers';
import { deadLetterTopicName, retryTopicName } from './topics';

function retriesOf(consumer: ConsumerDeclaration, source: string): string[] {
  return consumer.retryDelaysMs.map((_, i) => retryTopicName(source, consumer.groupId, i + 1));
}

/** A consumer's retry topics, in stage order for each source topic: what it both reads and writes. */
export function retryTopics(consumer: ConsumerDeclaration): string[] {
  return consumer.topics.flatMap((source) => retriesOf(consumer, source));
}

/**
 * What a consumer group reads: each source topic followed by its retry topics. With
 * `deadLetter`, also the dead-letter topics it writes (which nobody subscribes to: they are for people).
 */
export function consumerTopics(consumer: ConsumerDeclaration, options: { readonly deadLetter?: boolean } = {}): string[] {
  const read = consumer.topics.flatMap((source) => [source, ...retriesOf(consumer, source)]);
  return options.deadLetter ? [...read, ...consumer.topics.map((source) => deadLetterTopicName(source, consumer.groupId))] : read;
}
