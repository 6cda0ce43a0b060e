import type { MessageHandler } from '@nestjs/microservices';
import { ConsumerDeclaration, EventType, deadLetterTopicName, retryTopicName } from '@platform/contracts';
import { EventRouter } from './event-router';
import { TopicRoutes } from './topic-routes';

const consumer = { name: 'c', groupId: 'g', topics: ['t1', 't2'], retryDelaysMs: [300, 600] } as unknown as ConsumerDeclaration;

describe('TopicRoutes', () => {
  const routes = new TopicRoutes(consumer);

  it('subscribes to each source topic and its retry topics, never to the dead-letter topics', () => {
    expect(routes.subscribedTopics().sort()).toEqual(
      ['t1', retryTopicName('t1', 'g', 1), retryTopicName('t1', 'g', 2), 't2', retryTopicName('t2', 'g', 1), retryTopicName('t2', 'g', 2)].sort(),
    );
    expect(routes.subscribedTopics()).not.toContain(deadLetterTopicName('t1', 'g'));
    expect(routes.requiredTopics()).toEqual(expect.arrayContaining([...routes.subscribedTopics(), deadLetterTopicName('t1', 'g'), deadLetterTopicName('t2', 'g')]));
  });

  it('knows the source topic and stage of every topic it reads', () => {
    expect(routes.routeOf('t2')).toEqual({ topic: 't2', sourceTopic: 't2', stage: 0 });
    expect(routes.routeOf(retryTopicName('t1', 'g', 2))).toEqual({ topic: retryTopicName('t1', 'g', 2), sourceTopic: 't1', stage: 2 });
    expect(() => routes.routeOf('elsewhere')).toThrow(/not one of consumer c/);
  });

  it('takes retry delays and the number of retry topics from the declaration', () => {
    expect(routes.lastStage).toBe(2);
    expect([routes.delayOf(1), routes.delayOf(2)]).toEqual([300, 600]);
    expect(routes.retryTopic('t1', 1)).toBe(retryTopicName('t1', 'g', 1));
    expect(routes.deadLetterTopic('t2')).toBe(deadLetterTopicName('t2', 'g'));
  });
});

describe('EventRouter', () => {
  const handler = (isEventHandler: boolean): MessageHandler => Object.assign(async () => undefined, { isEventHandler });
  const created = handler(true);
  const router = new EventRouter(
    new Map<string, MessageHandler>([
      [EventType.AccountCreated, created],
      ['request.reply', handler(false)],
    ]),
  );

  it('routes by the exact event type', () => {
    expect(router.handlerFor(EventType.AccountCreated)).toBe(created);
    expect(router.handlerFor(EventType.AccountClosed)).toBeUndefined();
    expect(router.handlerFor('account.created')).toBeUndefined();
  });

  it('does not route events to request/response handlers and reports them', () => {
    expect(router.handlerFor('request.reply')).toBeUndefined();
    expect(router.eventTypes()).toEqual([EventType.AccountCreated]);
    expect(router.unusablePatterns((p) => p === EventType.AccountCreated)).toEqual(['request.reply']);
  });
});
