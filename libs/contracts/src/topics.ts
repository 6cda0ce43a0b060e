/** A topic as the platform declares it; `topics apply` makes the cluster match these. */
export interface TopicDeclaration {
  readonly name: string;
  readonly partitions: number;
  readonly retentionMs: number;
  readonly cleanupPolicy: 'delete' | 'compact';
  /** Why the topic exists, shown by the ops CLI. */
  readonly purpose: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Topic names are constants; code never spells one out. */
export const Topic = {
  /** Every lifecycle event of every account, keyed by account id, so per-account order holds. */
  AccountLifecycle: 'accounts.lifecycle.v1',
  /** abuse-scan's verdicts, keyed by account id; accounts applies them. */
  AbuseVerdicts: 'abuse.verdicts.v1',
  /** provisioning's outcomes, keyed by account id; accounts applies them. */
  ProvisioningResults: 'provisioning.results.v1',
} as const;
export type TopicName = (typeof Topic)[keyof typeof Topic];

export const SOURCE_TOPICS: readonly TopicDeclaration[] = [
  { name: Topic.AccountLifecycle, partitions: 6, retentionMs: 7 * DAY_MS, cleanupPolicy: 'delete', purpose: 'account lifecycle events (outbox relay)' },
  { name: Topic.AbuseVerdicts, partitions: 6, retentionMs: 7 * DAY_MS, cleanupPolicy: 'delete', purpose: 'abuse-scan verdicts' },
  { name: Topic.ProvisioningResults, partitions: 6, retentionMs: 7 * DAY_MS, cleanupPolicy: 'delete', purpose: 'provisioning outcomes' },
];

/** Topics of the ops CLI itself; not read by any service. */
export const OpsTopic = {
  /** Who replayed, purged or revealed what, and with what result: one JSON record per action. */
  Audit: 'platform.ops.audit.v1',
} as const;

/** An audit trail is kept for a year and a bit, so last year's incident can still be reconstructed. */
export const AUDIT_RETENTION_MS = 400 * DAY_MS;

export const OPS_TOPICS: readonly TopicDeclaration[] = [
  // One partition: the audit trail is read in the order it was written.
  { name: OpsTopic.Audit, partitions: 1, retentionMs: AUDIT_RETENTION_MS, cleanupPolicy: 'delete', purpose: 'audit log of the ops CLI' },
];

/** Retry topics hold records briefly; dead-letter topics keep them long enough for a holiday weekend and a replay. */
export const RETRY_RETENTION_MS = 3 * DAY_MS;
export const DEAD_LETTER_RETENTION_MS = 28 * DAY_MS;

/**
 * The longest an event can still reach a consumer group after it was published: it may sit in its
 * source topic until that topic drops it, then be dead-lettered and replayed until the dead-letter
 * topic drops it. Anything a consumer keeps per event (its inbox, a guard) is needed this long.
 */
export const REDELIVERY_WINDOW_MS = Math.max(...SOURCE_TOPICS.map((t) => t.retentionMs)) + DEAD_LETTER_RETENTION_MS;

export function retryTopicName(sourceTopic: string, groupId: string, attempt: number): string {
  return `${sourceTopic}.${groupId}.retry.${attempt}`;
}

export function deadLetterTopicName(sourceTopic: string, groupId: string): string {
  return `${sourceTopic}.${groupId}.dlt`;
}
