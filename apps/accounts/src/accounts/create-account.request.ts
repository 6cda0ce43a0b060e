import { compileRequestValidator } from '../validation/request-validator';

export interface CreateAccountRequest {
  email: string;
  displayName: string;
  locale?: string;
  plan?: string;
  externalId?: string | null;
  signupContext?: { ip?: string | null; userAgent?: string | null };
}

/** Bounds match the account.created.v1 contract, so whatever is accepted here can be published. */
export const createAccountRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'displayName'],
  properties: {
    email: { type: 'string', maxLength: 254, format: 'email' },
    displayName: { type: 'string', minLength: 1, maxLength: 100, format: 'non-blank' },
    locale: { type: 'string', minLength: 2, maxLength: 35 },
    plan: { type: 'string', minLength: 1, maxLength: 40, format: 'non-blank' },
    externalId: { type: ['string', 'null'], minLength: 1, maxLength: 200 },
    signupContext: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ip: { type: ['string', 'null'], maxLength: 45, format: 'ip-address' },
        userAgent: { type: ['string', 'null'], maxLength: 1000 },
      },
    },
  },
};

const validate = compileRequestValidator<CreateAccountRequest>(createAccountRequestSchema);

export function parseCreateAccountRequest(body: unknown): CreateAccountRequest {
  // Surrounding whitespace is a paste accident, not part of the address; strip it before the format check.
  if (isRecord(body) && typeof body.email === 'string') body = { ...body, email: body.email.trim() };
  return validate(body);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The body parsed once: the request, or what parsing threw. The idempotent sign-up must store a
 * refusal under its key before raising it, so the error is kept to be raised where it applies.
 */
export type ParsedCreateAccountRequest = { readonly request: CreateAccountRequest } | { readonly invalid: unknown };

export function parseCreateAccountRequestOnce(body: unknown): ParsedCreateAccountRequest {
  try {
    return { request: parseCreateAccountRequest(body) };
  } catch (error) {
    return { invalid: error };
  }
}

/** The parsed request, or the parse error thrown now. */
export function validRequest(parsed: ParsedCreateAccountRequest): CreateAccountRequest {
  if ('invalid' in parsed) throw parsed.invalid;
  return parsed.request;
}
