import { accountTransitionRequestSchema } from '../accounts/account-transition.request';
import { createAccountRequestSchema } from '../accounts/create-account.request';
import { updateAccountRequestSchema } from '../accounts/update-account.request';
import type { HealthHttpController } from '../health/health.http.controller';
import { accountListSchema } from './account-list.schema';
import { accountResponseSchema } from './account-response.schema';
import type { JsonSchema, Reference } from './openapi-types';
import { problemDocumentSchema } from './problem-document.schema';

type LiveStatus = ReturnType<HealthHttpController['live']>;
type ReadyStatus = Awaited<ReturnType<HealthHttpController['ready']>>;

const ok = { type: 'string', enum: ['ok'] };
const live: { readonly [K in keyof LiveStatus]-?: JsonSchema } = { status: ok };
const ready: { readonly [K in keyof ReadyStatus]-?: JsonSchema } = {
  status: ok,
  checks: { type: 'object', additionalProperties: false, required: ['database'], properties: { database: ok } },
};

/**
 * components.schemas. The request schemas are the very objects ajv validates requests with:
 * OpenAPI 3.1 speaks JSON Schema 2020-12, so they embed unchanged, and the custom formats
 * (`non-blank`, `ip-address`) read as annotations.
 */
export const SCHEMAS = {
  Account: accountResponseSchema,
  AccountList: accountListSchema,
  ProblemDocument: problemDocumentSchema,
  CreateAccountRequest: createAccountRequestSchema,
  UpdateAccountRequest: updateAccountRequestSchema,
  AccountTransitionRequest: accountTransitionRequestSchema,
  LiveStatus: { type: 'object', additionalProperties: false, required: Object.keys(live), properties: live },
  ReadyStatus: { type: 'object', additionalProperties: false, required: Object.keys(ready), properties: ready },
} satisfies Record<string, JsonSchema>;

export type SchemaName = keyof typeof SCHEMAS;

export function schemaRef(name: SchemaName): Reference {
  return { $ref: `#/components/schemas/${name}` };
}
