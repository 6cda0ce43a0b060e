import { consumerTopics, retryTopics } from './consumer-topics';
import type { ConsumerDeclaration } from './consumers';
import type { TopicName } from './topics';

const consumer: ConsumerDeclaration = { name: 'c', groupId: 'g', topics: ['a' as TopicName, 'b' as TopicName], retryDelaysMs: [10, 20] };

describe('consumerTopics', () => {
  it('lists each source topic followed by its retry topics, without dead letters', () => {
    expect(consumerTopics(consumer)).toEqual(['a', 'a.g.retry.1', 'a.g.retry.2', 'b', 'b.g.retry.1', 'b.g.retry.2']);
  });

  it('adds the dead-letter topics when asked', () => {
    expect(consumerTopics(consumer, { deadLetter: true })).toEqual([...consumerTopics(consumer), 'a.g.dlt', 'b.g.dlt']);
  });

  it('is the source topics alone for a consumer without retry topics', () => {
    expect(consumerTopics({ ...consumer, retryDelaysMs: [] })).toEqual(['a', 'b']);
    expect(retryTopics({ ...consumer, retryDelaysMs: [] })).toEqual([]);
  });

  it('lists the retry topics alone in stage order', () => {
    expect(retryTopics(consumer)).toEqual(['a.g.retry.1', 'a.g.retry.2', 'b.g.retry.1', 'b.g.retry.2']);
  });
});
