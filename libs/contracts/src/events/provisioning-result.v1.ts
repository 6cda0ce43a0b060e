import type { JSONSchemaType } from 'ajv';

export interface ProvisioningCompletedV1 {
  accountId: string;
  causationId: string;
  workspace: { schema: string };
  completedAt: string;
}
export const provisioningCompletedV1Schema: JSONSchemaType<ProvisioningCompletedV1> = {
  type: 'object',
  required: ['accountId', 'causationId', 'workspace', 'completedAt'],
  properties: {
    accountId: { type: 'string', format: 'uuid' },
    causationId: { type: 'string', minLength: 1 },
    workspace: { type: 'object', required: ['schema'], properties: { schema: { type: 'string' } } },
    completedAt: { type: 'string', format: 'date-time' },
  },
};

export interface ProvisioningFailedV1 {
  accountId: string;
  causationId: string;
  step: string;
  errorCode: string;
  failedAt: string;
}
export const provisioningFailedV1Schema: JSONSchemaType<ProvisioningFailedV1> = {
  type: 'object',
  required: ['accountId', 'causationId', 'step', 'errorCode', 'failedAt'],
  properties: {
    accountId: { type: 'string', format: 'uuid' },
    causationId: { type: 'string', minLength: 1 },
    step: { type: 'string' },
    errorCode: { type: 'string' },
    failedAt: { type: 'string', format: 'date-time' },
  },
};
