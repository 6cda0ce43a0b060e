export * from './env-reader';
export * from './kafka-config';
export * from './database-config';
export * from './http-config';
export * from './log-config';
export * from './cli-flags';
export * from './backoff';
export * from './close-http-server';
