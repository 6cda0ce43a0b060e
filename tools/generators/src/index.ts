// The workspace's own Nx plugin: `npx nx g @platform/generators:<generator>` (see generators.json).
export { consumerGenerator } from './consumer/consumer.generator';
export type { ConsumerGeneratorOptions } from './consumer/schema';
