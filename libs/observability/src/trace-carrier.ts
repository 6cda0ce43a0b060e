import { Context, ROOT_CONTEXT, context, propagation } from '@opentelemetry/api';

/** W3C trace context as it travels in outbox rows, Kafka headers and event envelopes. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/**
 * The trace context of `ctx` (by default the active one) as W3C fields. Empty when telemetry is
 * not started (no propagator) or nothing is active: callers then keep what they had.
 */
export function injectTraceContext(ctx: Context = context.active()): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  const out: TraceCarrier = {};
  if (carrier.traceparent) out.traceparent = carrier.traceparent;
  if (carrier.tracestate) out.tracestate = carrier.tracestate;
  return out;
}

/** The context a record's or request's headers carry, to parent the span that handles it. */
export function extractTraceContext(headers: Readonly<Record<string, string | undefined>>, base: Context = ROOT_CONTEXT): Context {
  return propagation.extract(base, headers);
}
