import type { EnvReader } from '@platform/config';
import { DEFAULT_POLICY_FILE } from './rules/verdict-policy';

/** abuse-scan's own settings; the runtime reads Kafka, the inbox database, health and logging. */
export interface AbuseScanSettings {
  /** The rules' weights and knobs and the verdict thresholds; validated at start-up by loadPolicy. */
  readonly policyFile: string;
}

/** The inbox (processed_events) lives in this schema of DATABASE_URL. */
export const INBOX_SCHEMA = 'abuse_scan';
/** Its health port in the local stack, when HEALTH_PORT is not set. */
export const DEFAULT_HEALTH_PORT = 3202;

export function readAbuseScanSettings(reader: EnvReader): AbuseScanSettings {
  return { policyFile: reader.string('ABUSE_RULES_FILE', DEFAULT_POLICY_FILE) };
}
