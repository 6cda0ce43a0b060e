import type { JSONSchemaType } from 'ajv';

// The transitions after signup. None carries personal data: consumers that need it read the
// created event, and after erasure nothing on the topic names the person.

export interface AccountActivatedV1 {
  accountId: string;
  activatedAt: string;
}
export const accountActivatedV1Schema: JSONSchemaType<AccountActivatedV1> = {
  type: 'object',
  required: ['accountId', 'activatedAt'],
  properties: { accountId: { type: 'string', format: 'uuid' }, activatedAt: { type: 'string', format: 'date-time' } },
};

export interface AccountUpdatedV1 {
  accountId: string;
  version: number;
  changedFields: string[];
  updatedAt: string;
}
export const accountUpdatedV1Schema: JSONSchemaType<AccountUpdatedV1> = {
  type: 'object',
  required: ['accountId', 'version', 'changedFields', 'updatedAt'],
  properties: {
    accountId: { type: 'string', format: 'uuid' },
    version: { type: 'integer', minimum: 1 },
    changedFields: { type: 'array', items: { type: 'string' } },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

export interface AccountSuspendedV1 {
  accountId: string;
  reasons: string[];
  suspendedAt: string;
}
export const accountSuspendedV1Schema: JSONSchemaType<AccountSuspendedV1> = {
  type: 'object',
  required: ['accountId', 'reasons', 'suspendedAt'],
  properties: {
    accountId: { type: 'string', format: 'uuid' },
    reasons: { type: 'array', items: { type: 'string', maxLength: 500 } },
    suspendedAt: { type: 'string', format: 'date-time' },
  },
};

export interface AccountReactivatedV1 {
  accountId: string;
  reason: string;
  reactivatedAt: string;
}
export const accountReactivatedV1Schema: JSONSchemaType<AccountReactivatedV1> = {
  type: 'object',
  required: ['accountId', 'reason', 'reactivatedAt'],
  properties: {
    accountId: { type: 'string', format: 'uuid' },
    reason: { type: 'string', maxLength: 500 },
    reactivatedAt: { type: 'string', format: 'date-time' },
  },
};

export interface AccountClosedV1 {
  accountId: string;
  closedAt: string;
}
export const accountClosedV1Schema: JSONSchemaType<AccountClosedV1> = {
  type: 'object',
  required: ['accountId', 'closedAt'],
  properties: { accountId: { type: 'string', format: 'uuid' }, closedAt: { type: 'string', format: 'date-time' } },
};
