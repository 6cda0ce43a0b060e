// Test helpers for consumer apps, kept out of the runtime's main entry so production code never
// loads them: import from '@platform/consumer-runtime/testing' in specs only.
export * from './consumer-harness';
