import type { MessageHandler } from '@nestjs/microservices';

/**
 * Routes a record to the Nest handler registered for its ce_type. Patterns are matched exactly:
 * event types carry their version, and a handler for v1 must not silently receive v2.
 */
export class EventRouter {
  constructor(private readonly handlers: ReadonlyMap<string, MessageHandler>) {}

  handlerFor(eventType: string): MessageHandler | undefined {
    const handler = this.handlers.get(eventType);
    // A @MessagePattern (request/response) handler has nobody to answer on an event stream.
    return handler?.isEventHandler ? handler : undefined;
  }

  /** Event types this app handles, for the start-up log line. */
  eventTypes(): string[] {
    return [...this.handlers.entries()].filter(([, handler]) => handler.isEventHandler).map(([pattern]) => pattern);
  }

  /** Patterns that can never be served here, so the operator hears about them at start. */
  unusablePatterns(isKnownEventType: (pattern: string) => boolean): string[] {
    return [...this.handlers.entries()]
      .filter(([pattern, handler]) => !handler.isEventHandler || !isKnownEventType(pattern))
      .map(([pattern]) => pattern);
  }
}
