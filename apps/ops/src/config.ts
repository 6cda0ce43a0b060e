import { Env, EnvReader, KafkaConfig, readKafkaConfig } from '@platform/config';

export interface OpsConfig {
  readonly kafka: KafkaConfig;
}

/** The CLI reads the broker address exactly as the services do. */
export function readOpsConfig(env: Env): OpsConfig {
  const reader = new EnvReader(env);
  const config = { kafka: readKafkaConfig(reader, 'ops-cli') };
  reader.done();
  return config;
}
