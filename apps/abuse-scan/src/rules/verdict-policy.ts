import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { JSONSchemaType } from 'ajv';
import { Verdict } from '@platform/contracts';

interface RuleToggle {
  enabled: boolean;
  weight: number;
}
interface VelocityPolicy extends RuleToggle {
  windowSeconds: number;
  maxSignups: number;
  maxTrackedKeys: number;
}

/**
 * Everything about scoring that an operator may want to change without a release: each rule's
 * weight and knobs, and the score thresholds of the verdicts. The default is
 * src/rules/default-policy.json; ABUSE_RULES_FILE points at another file.
 */
export interface VerdictPolicy {
  /** Goes into every verdict's ruleVersions as "policy", so a verdict can be traced to its policy. */
  version: string;
  /** total ≥ block → block; total ≥ review → review; else allow. */
  thresholds: { review: number; block: number };
  rules: {
    'disposable-email-domain': RuleToggle & { extraDomains: string[]; allowedDomains: string[] };
    'ip-range-velocity': VelocityPolicy;
    'email-domain-velocity': VelocityPolicy & { ignoredDomains: string[] };
    'suspicious-local-part': RuleToggle & { minDigitRun: number; minConsonantRun: number; maxPlusTagLength: number; maxLength: number };
    'suspicious-display-name': RuleToggle & { maxLength: number };
  };
}

/** The committed default, beside this file. */
export const DEFAULT_POLICY_FILE = join(__dirname, 'default-policy.json');

const toggle = {
  enabled: { type: 'boolean' },
  weight: { type: 'number', minimum: 0, maximum: 1000 },
} as const;
const velocity = {
  ...toggle,
  windowSeconds: { type: 'integer', minimum: 1, maximum: 7 * 24 * 3600 },
  maxSignups: { type: 'integer', minimum: 1, maximum: 100_000 },
  // The memory bound: keys × (maxSignups + 1) entries at most.
  maxTrackedKeys: { type: 'integer', minimum: 1, maximum: 1_000_000 },
} as const;
const domains = { type: 'array', items: { type: 'string', minLength: 3 } } as const;

const policySchema: JSONSchemaType<VerdictPolicy> = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'thresholds', 'rules'],
  properties: {
    version: { type: 'string', minLength: 1 },
    thresholds: {
      type: 'object',
      additionalProperties: false,
      required: ['review', 'block'],
      properties: { review: { type: 'number', exclusiveMinimum: 0 }, block: { type: 'number', exclusiveMinimum: 0 } },
    },
    rules: {
      type: 'object',
      additionalProperties: false,
      required: ['disposable-email-domain', 'ip-range-velocity', 'email-domain-velocity', 'suspicious-local-part', 'suspicious-display-name'],
      properties: {
        'disposable-email-domain': {
          type: 'object',
          additionalProperties: false,
          required: ['enabled', 'weight', 'extraDomains', 'allowedDomains'],
          properties: { ...toggle, extraDomains: domains, allowedDomains: domains },
        },
        'ip-range-velocity': {
          type: 'object',
          additionalProperties: false,
          required: ['enabled', 'weight', 'windowSeconds', 'maxSignups', 'maxTrackedKeys'],
          properties: velocity,
        },
        'email-domain-velocity': {
          type: 'object',
          additionalProperties: false,
          required: ['enabled', 'weight', 'windowSeconds', 'maxSignups', 'maxTrackedKeys', 'ignoredDomains'],
          properties: { ...velocity, ignoredDomains: domains },
        },
        'suspicious-local-part': {
          type: 'object',
          additionalProperties: false,
          required: ['enabled', 'weight', 'minDigitRun', 'minConsonantRun', 'maxPlusTagLength', 'maxLength'],
          properties: {
            ...toggle,
            minDigitRun: { type: 'integer', minimum: 2, maximum: 64 },
            minConsonantRun: { type: 'integer', minimum: 3, maximum: 64 },
            maxPlusTagLength: { type: 'integer', minimum: 1, maximum: 64 },
            maxLength: { type: 'integer', minimum: 1, maximum: 64 },
          },
        },
        'suspicious-display-name': {
          type: 'object',
          additionalProperties: false,
          required: ['enabled', 'weight', 'maxLength'],
          properties: { ...toggle, maxLength: { type: 'integer', minimum: 1, maximum: 100 } },
        },
      },
    },
  },
};

/** The policy file cannot be used; names the file and every problem in it. */
export class PolicyError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`abuse policy ${file} is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PolicyError';
  }
}

// additionalProperties: false everywhere, so a misspelt knob fails the start instead of being ignored.
const validatePolicy = new Ajv({ allErrors: true }).compile(policySchema);

export function parsePolicy(raw: unknown, file: string): VerdictPolicy {
  if (!validatePolicy(raw)) {
    throw new PolicyError(file, (validatePolicy.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`));
  }
  if (raw.thresholds.review > raw.thresholds.block) {
    throw new PolicyError(file, [`/thresholds review (${raw.thresholds.review}) must not exceed block (${raw.thresholds.block})`]);
  }
  return raw;
}

/** Reads and validates the policy once, at start-up; a bad file stops the service with the reason. */
export function loadPolicy(file: string): VerdictPolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolicyError(file, [`cannot be read: ${(error as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(file, [`is not JSON: ${(error as Error).message}`]);
  }
  return parsePolicy(raw, file);
}

export function verdictFor(score: number, thresholds: VerdictPolicy['thresholds']): Verdict {
  if (score >= thresholds.block) return Verdict.Block;
  if (score >= thresholds.review) return Verdict.Review;
  return Verdict.Allow;
}
