import { userInfo } from 'node:os';
import { Env, EnvReader, KafkaConfig, readKafkaConfig } from '@platform/config';

export interface OpsConfig {
  readonly kafka: KafkaConfig;
  /** Who is at the keyboard, for the audit log; `--operator` overrides it for one run. */
  readonly operator: string;
  /** The loop guard: a dead letter replayed this many times is refused rather than replayed again. */
  readonly maxReplays: number;
}

export const DEFAULT_MAX_REPLAYS = 3;

/** The CLI reads the broker address exactly as the services do. */
export function readOpsConfig(env: Env): OpsConfig {
  const reader = new EnvReader(env);
  const config = {
    kafka: readKafkaConfig(reader, 'ops-cli'),
    operator: reader.string('OPS_OPERATOR', osUser()),
    maxReplays: reader.int('OPS_MAX_REPLAYS', DEFAULT_MAX_REPLAYS, { min: 1, max: 100 }),
  };
  reader.done();
  return config;
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    // A container user without a passwd entry has no name; the audit log still needs one.
    return `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}
