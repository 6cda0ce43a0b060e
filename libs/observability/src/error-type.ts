import { Span, SpanStatusCode } from '@opentelemetry/api';
import { ErrorAttribute } from './semantic-attributes';
import { maskEmails } from './personal-data-mask';

/**
 * The conventions' `error.type`: low-cardinality, so the platform's error code when there is one
 * (PlatformError, kafkajs and pg codes), else the error's class.
 */
export function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code) return code;
  if (error instanceof Error) return error.name || error.constructor.name;
  return typeof error;
}

/**
 * Marks a span failed. The exception event gets the message and stack with addresses masked: an
 * SMTP rejection quotes the recipient, and traces must not hold what logs may not.
 */
export function recordFailure(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  const failure = error instanceof Error ? error : new Error(String(error));
  const message = maskEmails(failure.message);
  span.recordException({ name: failure.name, message, ...(failure.stack ? { stack: maskEmails(failure.stack) } : {}) });
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.setAttribute(ErrorAttribute.Type, errorType(error));
}
