import { assertEventData } from './event-catalog';
import { exampleEvent } from './event-examples';
import { EVENT_TOPIC } from './event-topics';
import { ALL_EVENT_TYPES } from './event-types';
import { SOURCE_TOPICS } from './topics';

describe('event examples and topics', () => {
  it.each(ALL_EVENT_TYPES)('has a schema-valid example of %s keyed by its account', (type) => {
    const event = exampleEvent(type, { accountId: '3c9e1f20-7b4a-4d8e-a6f1-0e2d5c7b9a13' });
    expect(() => assertEventData(type, event.data)).not.toThrow();
    expect(event.subject).toBe('3c9e1f20-7b4a-4d8e-a6f1-0e2d5c7b9a13');
    expect((event.data as { accountId: string }).accountId).toBe(event.subject);
  });

  it('puts every event type on a declared source topic', () => {
    for (const type of ALL_EVENT_TYPES) expect(SOURCE_TOPICS.map((t) => t.name)).toContain(EVENT_TOPIC[type]);
  });
});
