import { createHash, randomBytes } from 'node:crypto';
import type { ConsumerDeclaration } from '@platform/contracts';

export type ReplayKind = 'dlt' | 'topic';

/** Progress groups live beside the consumers' groups; `ops groups --all` shows them with their lag. */
export const PROGRESS_GROUP_PREFIX = 'ops-replay.';

/**
 * A replay's identity: what is replayed, to whom, selected how. Running the same command again
 * is the same job, so an interrupted replay resumes by being run again: no id to note down, and
 * no way to publish a record twice by simply retrying. The rate and the limit are not part of
 * it: they change how fast and how much, not what.
 */
export interface ReplayJob {
  readonly kind: ReplayKind;
  readonly consumer: ConsumerDeclaration;
  readonly id: string;
  /** Where its progress is committed (offsets of its input topics, in transactions). */
  readonly progressGroup: string;
  /** Also fences a second copy of the same replay running at the same time. */
  readonly transactionalId: string;
  readonly identity: Readonly<Record<string, unknown>>;
}

export function replayJob(kind: ReplayKind, consumer: ConsumerDeclaration, selection: Readonly<Record<string, unknown>>): ReplayJob {
  const identity = { kind, groupId: consumer.groupId, ...selection };
  const id = createHash('sha256').update(canonicalJson(identity)).digest('hex').slice(0, 12);
  const progressGroup = `${PROGRESS_GROUP_PREFIX}${consumer.name}.${kind}.${id}`;
  return { kind, consumer, id, progressGroup, transactionalId: progressGroup, identity };
}

/** A run is one pass of a job; records carry its id, and so do the audit records. */
export function newRunId(now: number): string {
  return `${new Date(now).toISOString().replace(/[-:]|\.\d{3}/g, '')}-${randomBytes(2).toString('hex')}`;
}

// Key order must not change the hash: `--key a --type b` and `--type b --key a` are one job.
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
