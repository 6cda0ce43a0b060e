import { Attributes, Context, ROOT_CONTEXT, Span, SpanKind, context, trace } from '@opentelemetry/api';
import { recordFailure } from './error-type';
import { CloudEventsAttribute, MESSAGING_SYSTEM_KAFKA, MessagingAttribute, MessagingOperation, PlatformAttribute } from './semantic-attributes';
import { TraceCarrier, extractTraceContext, injectTraceContext } from './trace-carrier';

/**
 * Producer and consumer spans for the platform's Kafka records, by the messaging conventions.
 * One signup is one trace because each hop parents its span on the context the record carries:
 *
 *   POST /v1/accounts (accounts) ─ create account.lifecycle.v1 (context stored in the outbox row)
 *     └ send account.lifecycle.v1 (relay; its context replaces the row's in the Kafka headers)
 *         └ process account.lifecycle.v1 (each consumer) ─ smtp send / steps / send abuse.verdicts.v1 ...
 *
 * The relay's poll loop is never a parent: a send span's parent is the row's stored context, not
 * whatever happens to be active. With tracing off every span here is non-recording and costs next
 * to nothing, and headers pass through unchanged.
 */

/** What identifies a record in its spans; ids and type come from the CloudEvents headers. */
export interface MessageRef {
  readonly topic: string;
  readonly key?: string | null;
  readonly id?: string;
  readonly type?: string;
}

export interface OutgoingMessage extends MessageRef {
  readonly headers: Readonly<Record<string, string>>;
}

export interface ConsumedMessage extends MessageRef {
  readonly partition: number;
  readonly offset: string;
  readonly groupId: string;
  readonly attempt: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

function messageAttributes(operation: string, message: MessageRef): Attributes {
  const attributes: Attributes = {
    [MessagingAttribute.System]: MESSAGING_SYSTEM_KAFKA,
    [MessagingAttribute.DestinationName]: message.topic,
    [MessagingAttribute.OperationType]: operation,
    [MessagingAttribute.OperationName]: operation,
  };
  if (message.key) attributes[MessagingAttribute.KafkaMessageKey] = message.key;
  if (message.id) {
    attributes[MessagingAttribute.MessageId] = message.id;
    attributes[CloudEventsAttribute.EventId] = message.id;
  }
  if (message.type) attributes[CloudEventsAttribute.EventType] = message.type;
  return attributes;
}

/**
 * The creation context of one message about to be stored (an outbox row): a `create` span, child
 * of the active span, ended at once. Its W3C fields go into the row; empty when there is nothing
 * to propagate, and the caller then keeps what the event already carried.
 */
export function creationContext(scope: string, message: MessageRef): TraceCarrier {
  const span = trace.getTracer(scope).startSpan(`${MessagingOperation.Create} ${message.topic}`, { kind: SpanKind.PRODUCER });
  // Not recorded (tracing off, or not sampled): the active context is passed on as it is.
  if (!span.isRecording()) return injectTraceContext();
  span.setAttributes(messageAttributes(MessagingOperation.Create, message));
  const carrier = injectTraceContext(trace.setSpan(context.active(), span));
  span.end();
  return carrier;
}

/** Send spans of one produce request, ended together when the broker answered. */
export interface SendSpans {
  /** Each message's headers to send: with its send span as the new parent when `propagate` was asked. */
  readonly headers: readonly Readonly<Record<string, string>>[];
  end(error?: unknown): void;
}

export interface SendSpanOptions {
  /**
   * `stored`: each span's parent is the context the message already carries (the relay: a row
   * is published on behalf of the request that wrote it). `active`: the active span's (a handler
   * publishing its reaction).
   */
  readonly parent: 'stored' | 'active';
  /** Replace the message's trace headers with its send span, so consumers become its children. */
  readonly propagate: boolean;
}

export function startSendSpans(scope: string, messages: readonly OutgoingMessage[], options: SendSpanOptions): SendSpans {
  const tracer = trace.getTracer(scope);
  const spans: Span[] = [];
  const headers = messages.map((message) => {
    const parent: Context = options.parent === 'stored' ? extractTraceContext(message.headers) : context.active();
    const span = tracer.startSpan(`${MessagingOperation.Send} ${message.topic}`, { kind: SpanKind.PRODUCER }, parent);
    spans.push(span);
    if (!span.isRecording()) return message.headers;
    span.setAttributes(messageAttributes(MessagingOperation.Send, message));
    return options.propagate ? { ...message.headers, ...injectTraceContext(trace.setSpan(ROOT_CONTEXT, span)) } : message.headers;
  });
  return {
    headers,
    end(error?: unknown) {
      for (const span of spans) {
        if (error !== undefined) recordFailure(span, error);
        span.end();
      }
    },
  };
}

/**
 * Runs a record's handler inside its `process` span, whose parent is the context in the record's
 * headers. A record from a retry topic carries the headers of the original (the runtime copies
 * them), so every attempt of an event lands in the trace of the request that caused it.
 */
export async function inProcessSpan<A extends unknown[], T>(scope: string, message: ConsumedMessage, fn: (...args: A) => Promise<T>, ...args: A): Promise<T> {
  const parent = extractTraceContext(message.headers);
  const span = trace.getTracer(scope).startSpan(`${MessagingOperation.Process} ${message.topic}`, { kind: SpanKind.CONSUMER }, parent);
  let active = parent;
  if (span.isRecording()) {
    span.setAttributes({
      ...messageAttributes(MessagingOperation.Process, message),
      [MessagingAttribute.ConsumerGroupName]: message.groupId,
      [MessagingAttribute.PartitionId]: String(message.partition),
      [MessagingAttribute.KafkaOffset]: Number(message.offset),
      [PlatformAttribute.Attempt]: message.attempt,
    });
    active = trace.setSpan(parent, span);
  }
  // Not recording, the span only stands for the parent's span context, which `parent` already
  // holds: no second context per record. `args` go through context.with, so no closure either;
  // this runs for every record a consumer handles.
  try {
    return await context.with(active, fn, undefined, ...args);
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Runs `fn` in a child span of the active one: a step of a handler (an SMTP send, a provisioning step). */
export async function inSpan<T>(scope: string, name: string, options: { kind?: SpanKind; attributes?: Attributes }, fn: (span: Span) => Promise<T>): Promise<T> {
  const span = trace.getTracer(scope).startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL });
  if (options.attributes && span.isRecording()) span.setAttributes(options.attributes);
  try {
    return await context.with(trace.setSpan(context.active(), span), () => fn(span));
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}
