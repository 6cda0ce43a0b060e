import { compileRequestValidator } from '../validation/request-validator';

/**
 * A JSON merge patch (RFC 7386) of the mutable profile fields. The email is not among them:
 * changing it needs a verification flow this service does not own. externalId may be set once.
 */
export interface UpdateAccountRequest {
  displayName?: string;
  locale?: string;
  plan?: string;
  externalId?: string | null;
}

export const updateAccountRequestSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    displayName: { type: 'string', minLength: 1, maxLength: 100, format: 'non-blank' },
    locale: { type: 'string', minLength: 2, maxLength: 35 },
    plan: { type: 'string', minLength: 1, maxLength: 40, format: 'non-blank' },
    externalId: { type: ['string', 'null'], minLength: 1, maxLength: 200 },
  },
};

export const parseUpdateAccountRequest = compileRequestValidator<UpdateAccountRequest>(updateAccountRequestSchema);
