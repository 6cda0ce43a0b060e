import type { EventEnvelope } from '@platform/contracts';

/** Where a handler's reactions go. EventPublisher is one; handlers depend on no more than this, so specs can pass a fake. */
export interface EventSink {
  publish(topic: string, events: readonly EventEnvelope[]): Promise<void>;
}
