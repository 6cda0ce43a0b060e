import { TopicDeclaration } from '@platform/contracts';
import { ObservedTopic, planTopics } from './topic-plan';

const declared: TopicDeclaration = { name: 't', partitions: 6, retentionMs: 1000, cleanupPolicy: 'delete', purpose: 'test' };
const observed = (partitions: number, configs: Record<string, string>): Map<string, ObservedTopic> =>
  new Map([['t', { name: 't', partitions, configs }]]);

describe('planTopics', () => {
  it('creates a missing topic', () => {
    expect(planTopics([declared], new Map())).toEqual([{ kind: 'create', topic: declared }]);
  });

  it('has nothing to do when the cluster matches', () => {
    expect(planTopics([declared], observed(6, { 'retention.ms': '1000', 'cleanup.policy': 'delete' }))).toEqual([]);
  });

  it('adds partitions and alters drifted configs', () => {
    const plan = planTopics([declared], observed(3, { 'retention.ms': '5', 'cleanup.policy': 'delete' }));
    expect(plan).toEqual([
      { kind: 'add-partitions', topic: declared, from: 3, to: 6 },
      { kind: 'alter-configs', topic: declared, changes: [{ name: 'retention.ms', from: '5', to: '1000' }] },
    ]);
  });

  it('reports but never shrinks a topic with more partitions than declared', () => {
    const plan = planTopics([declared], observed(12, { 'retention.ms': '1000', 'cleanup.policy': 'delete' }));
    expect(plan).toEqual([{ kind: 'cannot-shrink', topic: declared, from: 12, to: 6 }]);
  });
});
