/** The instrumentation scope of abuse-scan's own spans. */
export const ABUSE_SCAN_TELEMETRY_SCOPE = 'abuse-scan';
