import type { FieldError, ProblemDocument } from '../problem-details/http-problems';
import type { JsonSchema } from './openapi-types';

const fieldError: { readonly [K in keyof FieldError]-?: JsonSchema } = {
  pointer: { type: 'string', description: 'JSON Pointer (RFC 6901) into the body or query; `""` is the whole body.' },
  detail: { type: 'string' },
};

const properties: { readonly [K in keyof ProblemDocument]-?: JsonSchema } = {
  type: { type: 'string', format: 'uri', description: 'Derived from `code`, e.g. `urn:platform:problem:validation-failed`.' },
  title: { type: 'string', description: 'Short summary, for people; may change.' },
  status: { type: 'integer', minimum: 400, maximum: 599 },
  detail: { type: 'string', description: 'What went wrong in this occurrence, for people; may change.' },
  instance: { type: 'string', description: 'The request path, without the query string (it may hold personal data).' },
  code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', description: 'Stable machine-readable code: clients key on this.' },
  errors: {
    type: 'array',
    minItems: 1,
    description: 'One entry per offending field or query parameter.',
    items: { type: 'object', additionalProperties: false, required: Object.keys(fieldError), properties: fieldError },
  },
};

/** RFC 9457 problem details as ProblemDetailsFilter renders them; every error has this shape. */
export const problemDocumentSchema: JsonSchema = {
  title: 'ProblemDocument',
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties).filter((name) => name !== 'errors'),
  properties,
};
