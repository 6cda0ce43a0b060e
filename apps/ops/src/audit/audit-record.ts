/**
 * One line of the audit trail. A mutating command writes `started` before it changes anything
 * and `finished` after, with the same auditId, so even a run killed half-way leaves a trace;
 * `--reveal` writes `revealed` before it prints anything unmasked.
 */
export interface AuditRecord {
  readonly auditId: string;
  readonly phase: 'started' | 'finished' | 'revealed';
  readonly time: string;
  readonly operator: string;
  readonly host: string;
  /** e.g. `dlt replay`. */
  readonly command: string;
  readonly consumer?: string;
  /** The options as typed (filters, range, rate), so the action can be understood and repeated. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly replay?: { readonly job: string; readonly run: string };
  readonly counts?: Readonly<Record<string, number | string>>;
  readonly result?: AuditResult;
  readonly error?: string;
}

export type AuditResult = 'ok' | 'refused' | 'interrupted' | 'failed';

export function describeAudit(record: AuditRecord): string {
  return `audit ${record.phase} → ${JSON.stringify(record)}`;
}
