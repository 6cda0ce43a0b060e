import { ConsumerDeclaration, consumerTopics, deadLetterTopicName, retryTopicName } from '@platform/contracts';

/** What a topic this consumer reads means to it. */
export interface TopicRoute {
  readonly topic: string;
  readonly sourceTopic: string;
  /** 0 for the source topic itself, n for retry topic n. */
  readonly stage: number;
}

/**
 * Every topic a consumer subscribes to and what each one is, derived from its declaration alone,
 * so tests can run a consumer on throwaway topics and no code names a topic by hand.
 */
export class TopicRoutes {
  private readonly byTopic = new Map<string, TopicRoute>();

  constructor(private readonly consumer: ConsumerDeclaration) {
    for (const sourceTopic of consumer.topics) {
      this.byTopic.set(sourceTopic, { topic: sourceTopic, sourceTopic, stage: 0 });
      consumer.retryDelaysMs.forEach((_, index) => {
        const topic = retryTopicName(sourceTopic, consumer.groupId, index + 1);
        this.byTopic.set(topic, { topic, sourceTopic, stage: index + 1 });
      });
    }
  }

  /** Source topics and retry topics; never the dead-letter topics, which are for people. */
  subscribedTopics(): string[] {
    return consumerTopics(this.consumer);
  }

  /** Everything the consumer reads or writes: its subscriptions and its dead-letter topics. */
  requiredTopics(): string[] {
    return consumerTopics(this.consumer, { deadLetter: true });
  }

  routeOf(topic: string): TopicRoute {
    const route = this.byTopic.get(topic);
    if (!route) throw new Error(`topic ${topic} is not one of consumer ${this.consumer.name}'s topics`);
    return route;
  }

  /** The number of retry topics behind each source topic. */
  get lastStage(): number {
    return this.consumer.retryDelaysMs.length;
  }

  retryTopic(sourceTopic: string, stage: number): string {
    return retryTopicName(sourceTopic, this.consumer.groupId, stage);
  }

  deadLetterTopic(sourceTopic: string): string {
    return deadLetterTopicName(sourceTopic, this.consumer.groupId);
  }

  /** How long a record waits in retry topic `stage` before it is tried again. */
  delayOf(stage: number): number {
    return this.consumer.retryDelaysMs[stage - 1] ?? 0;
  }
}
