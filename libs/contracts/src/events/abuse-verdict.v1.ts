import type { JSONSchemaType } from 'ajv';

export const Verdict = { Allow: 'allow', Review: 'review', Block: 'block' } as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export interface VerdictReason {
  rule: string;
  score: number;
  reason: string;
}

export interface AbuseVerdictV1 {
  accountId: string;
  /** The created event this verdict answers, so accounts can apply each verdict once. */
  causationId: string;
  score: number;
  verdict: Verdict;
  reasons: VerdictReason[];
  ruleVersions: Record<string, string>;
  scannedAt: string;
}

export const abuseVerdictV1Schema: JSONSchemaType<AbuseVerdictV1> = {
  type: 'object',
  required: ['accountId', 'causationId', 'score', 'verdict', 'reasons', 'ruleVersions', 'scannedAt'],
  properties: {
    accountId: { type: 'string', format: 'uuid' },
    causationId: { type: 'string', minLength: 1 },
    score: { type: 'number' },
    verdict: { type: 'string', enum: ['allow', 'review', 'block'] },
    reasons: {
      type: 'array',
      items: {
        type: 'object',
        required: ['rule', 'score', 'reason'],
        properties: { rule: { type: 'string' }, score: { type: 'number' }, reason: { type: 'string' } },
      },
    },
    ruleVersions: { type: 'object', required: [], additionalProperties: { type: 'string' } },
    scannedAt: { type: 'string', format: 'date-time' },
  },
};
