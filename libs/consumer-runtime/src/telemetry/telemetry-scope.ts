/** The instrumentation scope of the runtime's spans and metrics. */
export const RUNTIME_TELEMETRY_SCOPE = '@platform/consumer-runtime';
