import type { MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { EventEnvelope } from '@platform/contracts';
import type { EventContext } from './event-context';

/**
 * Calls a Nest event handler and waits for it to finish. Nest hands back either the result or an
 * Observable (its exception path, or several handlers joined for one pattern); an Observable is
 * drained so its error, the handler's own error thanks to the passthrough, reaches the runtime.
 */
export async function invokeNestHandler(handler: MessageHandler, event: EventEnvelope, context: EventContext): Promise<void> {
  const result: unknown = await handler(event, context);
  if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
}
