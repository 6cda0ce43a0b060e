/** The instrumentation scope of the outbox's spans and metrics: what a trace viewer shows as their source. */
export const OUTBOX_TELEMETRY_SCOPE = '@platform/outbox';
