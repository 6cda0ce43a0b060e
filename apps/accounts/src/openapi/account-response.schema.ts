import { Verdict } from '@platform/contracts';
import { ProvisioningStatus } from '../accounts/account.entity';
import type { AccountResponse } from '../accounts/account.response';
import { ALL_ACCOUNT_STATUSES } from '../accounts/account-state';
import type { JsonSchema } from './openapi-types';

const nullable = (type: string): JsonSchema => ({ type: [type, 'null'] });

/**
 * Keyed by AccountResponse itself, so adding or renaming a field without describing it here
 * fails to compile; the drift test then checks real responses against it, additionalProperties
 * included. No format on email: a closed account's is `erased:<id>`.
 */
const properties: { readonly [K in keyof AccountResponse]-?: JsonSchema } = {
  id: { type: 'string', format: 'uuid' },
  email: { type: 'string', description: 'As given at sign-up, trimmed; `erased:<id>` once the account is closed.' },
  displayName: { type: 'string', description: '`erased` once the account is closed.' },
  locale: { type: 'string', description: 'BCP 47 language tag in canonical form, e.g. `en-GB`.' },
  plan: { type: 'string' },
  externalId: { ...nullable('string'), description: "The identity provider's id of the person; can be set once." },
  status: { type: 'string', enum: [...ALL_ACCOUNT_STATUSES] },
  version: { type: 'integer', minimum: 1, description: 'Increases with every change; the ETag is this number in quotes.' },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
  closedAt: { ...nullable('string'), format: 'date-time' },
  suspensionReasons: { type: ['array', 'null'], items: { type: 'string' } },
  abuseVerdict: { enum: [...Object.values(Verdict), null], description: 'From the abuse scan; null until it has answered.' },
  abuseScore: { ...nullable('number'), description: 'From the abuse scan; null until it has answered.' },
  provisioningStatus: { enum: [...Object.values(ProvisioningStatus), null], description: 'null until provisioning has reported.' },
  workspaceSchema: { ...nullable('string'), description: 'Set once provisioning has completed.' },
};

export const accountResponseSchema: JsonSchema = {
  title: 'Account',
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties),
  properties,
};
