export * from './recorded-telemetry';
