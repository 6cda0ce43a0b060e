import { BaseRpcExceptionFilter } from '@nestjs/microservices';
import type { ArgumentsHost } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { KafkaEventContext } from './event-context';

const INSTALLED = Symbol.for('@platform/consumer-runtime/nest-error-passthrough');

type CatchFn = (exception: unknown, host: ArgumentsHost) => Observable<unknown>;

/**
 * Nest routes every handler exception through its exception filters, and the default RPC filter
 * replaces anything that is not an RpcException with `{ status: 'error', message: 'Internal
 * server error' }`. The runtime needs the real error: its class decides retry or dead letter and
 * its code goes into the dead-letter headers. A transport strategy has no way to register a
 * filter, so the default filter is taught one thing: for a call carrying this runtime's
 * EventContext, pass the original error through. Every other transport, and any filter the app
 * registers itself, behaves exactly as before.
 */
export function installNestErrorPassthrough(): void {
  const prototype = BaseRpcExceptionFilter.prototype as unknown as { catch: CatchFn; [INSTALLED]?: boolean };
  if (prototype[INSTALLED]) return;
  const original = prototype.catch;
  prototype.catch = function catchPassingRuntimeErrorsThrough(this: unknown, exception: unknown, host: ArgumentsHost) {
    if (isRuntimeCall(host)) return throwError(() => exception);
    return original.call(this, exception, host);
  };
  prototype[INSTALLED] = true;
}

function isRuntimeCall(host: ArgumentsHost | undefined): boolean {
  try {
    return host?.getArgByIndex(1) instanceof KafkaEventContext;
  } catch {
    return false;
  }
}
