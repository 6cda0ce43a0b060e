import { CONSUMERS, allTopics, consumerDeclaration, derivedTopics } from './consumers';
import { DEAD_LETTER_RETENTION_MS, SOURCE_TOPICS, Topic, deadLetterTopicName, retryTopicName } from './topics';

describe('topic declarations', () => {
  it('gives every consumer its own retry topics and one dead-letter topic per topic it reads', () => {
    const welcome = derivedTopics(consumerDeclaration('welcome-email')).map((t) => t.name);
    expect(welcome).toEqual([
      retryTopicName(Topic.AccountLifecycle, 'welcome-email', 1),
      retryTopicName(Topic.AccountLifecycle, 'welcome-email', 2),
      deadLetterTopicName(Topic.AccountLifecycle, 'welcome-email'),
    ]);
    expect(deadLetterTopicName(Topic.AccountLifecycle, 'welcome-email')).toBe('accounts.lifecycle.v1.welcome-email.dlt');
  });

  it('declares each topic once, keeps dead letters longest and matches source partitions', () => {
    const topics = allTopics();
    expect(new Set(topics.map((t) => t.name)).size).toBe(topics.length);
    for (const consumer of CONSUMERS) {
      for (const derived of derivedTopics(consumer)) {
        const source = SOURCE_TOPICS.find((s) => derived.name.startsWith(`${s.name}.`));
        expect(derived.partitions).toBe(source?.partitions);
        if (derived.name.endsWith('.dlt')) expect(derived.retentionMs).toBe(DEAD_LETTER_RETENTION_MS);
      }
    }
  });

  it('refuses an unknown consumer with the list of known ones', () => {
    expect(() => consumerDeclaration('nope')).toThrow(/welcome-email/);
  });
});
