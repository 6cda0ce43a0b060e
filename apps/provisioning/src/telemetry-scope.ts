/** The instrumentation scope of provisioning's own spans. */
export const PROVISIONING_TELEMETRY_SCOPE = 'provisioning';
