import { compileRequestValidator } from '../validation/request-validator';

/** Body of POST /v1/accounts/{id}/suspend and /reactivate: why, for the audit trail and the event. */
export interface AccountTransitionRequest {
  reason: string;
}

export const accountTransitionRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: { reason: { type: 'string', minLength: 1, maxLength: 500, format: 'non-blank' } },
};

export const parseAccountTransitionRequest = compileRequestValidator<AccountTransitionRequest>(accountTransitionRequestSchema);
