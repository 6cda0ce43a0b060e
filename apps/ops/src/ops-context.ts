import type { Kafka } from 'kafkajs';
import type { OpsCatalog } from './catalog';
import type { OpsConfig } from './config';
import type { Output } from './output';

/** What every command gets: configuration read once, the catalog, output, and the means to stop. */
export interface OpsContext {
  readonly config: () => OpsConfig;
  readonly catalog: OpsCatalog;
  readonly out: Output;
  /** One client per run, made on first use so `--help` needs no configuration. */
  readonly kafka: () => Kafka;
  /** `--operator` if given, else the configured operator. */
  readonly operator: () => string;
  /** Aborted on SIGINT/SIGTERM: long commands finish what is in flight, save progress and stop. */
  readonly interrupted: AbortSignal;
  readonly now: () => number;
}
