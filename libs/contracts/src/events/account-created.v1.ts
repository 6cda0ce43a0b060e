import type { SchemaObject } from 'ajv';

/** The signup as downstream consumers need it: enough to greet, scan and provision, no more. */
export interface AccountCreatedV1 {
  accountId: string;
  email: string;
  displayName: string;
  locale: string;
  plan: string;
  externalId: string | null;
  signupContext: { ip: string | null; userAgent: string | null };
  createdAt: string;
}

// SchemaObject, not JSONSchemaType: ajv's types cannot express a required-but-nullable field.
export const accountCreatedV1Schema: SchemaObject = {
  type: 'object',
  additionalProperties: true,
  required: ['accountId', 'email', 'displayName', 'locale', 'plan', 'externalId', 'signupContext', 'createdAt'],
  properties: {
    accountId: { type: 'string', format: 'uuid' },
    email: { type: 'string', format: 'email', maxLength: 254 },
    displayName: { type: 'string', minLength: 1, maxLength: 100 },
    locale: { type: 'string', minLength: 2, maxLength: 35 },
    plan: { type: 'string', minLength: 1, maxLength: 40 },
    externalId: { type: ['string', 'null'], maxLength: 200 },
    signupContext: {
      type: 'object',
      additionalProperties: true,
      required: ['ip', 'userAgent'],
      properties: {
        ip: { type: ['string', 'null'], maxLength: 45 },
        userAgent: { type: ['string', 'null'], maxLength: 1000 },
      },
    },
    createdAt: { type: 'string', format: 'date-time' },
  },
};
