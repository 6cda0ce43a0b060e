/** The instrumentation scope of welcome-email's own spans and metrics (SMTP, circuit breaker). */
export const WELCOME_EMAIL_TELEMETRY_SCOPE = 'welcome-email';
