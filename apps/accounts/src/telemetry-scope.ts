/** The instrumentation scope of the accounts service's own spans and metrics. */
export const ACCOUNTS_TELEMETRY_SCOPE = 'accounts';
