import type { EventEnvelope } from '@platform/contracts';

/** Where reactions go. EventPublisher from the runtime is one; handlers depend on no more than this. */
export interface EventSink {
  publish(topic: string, events: readonly EventEnvelope[]): Promise<void>;
}
