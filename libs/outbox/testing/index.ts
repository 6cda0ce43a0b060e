// Test helpers for code that writes or relays the outbox; specs import '@platform/outbox/testing'.
export * from './outbox-fixtures';
