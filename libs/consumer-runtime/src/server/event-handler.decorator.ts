import { EventPattern } from '@nestjs/microservices';
import type { EventEnvelope, EventType } from '@platform/contracts';
import type { EventContext } from './event-context';

export type EventHandlerMethod<T extends EventType> = (event: EventEnvelope<T>, context: EventContext) => Promise<void> | void;

/**
 * `@EventPattern(type)` with the handler's signature checked against the event type.
 *
 * Why it exists: NestJS 12 types @EventPattern's method as `(data, ...args: unknown[]) => any`,
 * so a handler that declares `@Ctx() ctx: EventContext` fails to compile (TS1241). This is the
 * same decorator at runtime; only the typing differs. Declare the parameters with @Payload() and
 * @Ctx() as usual: without @Ctx(), Nest 12 passes the payload alone and the context is undefined.
 */
export function EventHandler<T extends EventType>(type: T) {
  const decorate = EventPattern(type) as MethodDecorator;
  // Generic in the method so a handler returning Promise<void> (not Promise<void> | void) fits.
  return <M extends EventHandlerMethod<T>>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    decorate(target, propertyKey, descriptor);
  };
}
