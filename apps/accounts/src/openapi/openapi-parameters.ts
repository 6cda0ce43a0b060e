import { ALL_ACCOUNT_STATUSES } from '../accounts/account-state';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../accounts/list-accounts.query';
import { IDEMPOTENCY_KEY_HEADER } from '../idempotency/idempotency-key';
import type { ParameterObject, Reference } from './openapi-types';

const ifMatch = {
  name: 'If-Match',
  in: 'header',
  description:
    '`*` (the account must exist), or one or more strong ETags as returned in `ETag` (`"3"` or `"3", "4"`). ' +
    'A stale version is refused with 412; weak tags never match.',
  schema: { type: 'string' },
} as const;

const traceparent = {
  name: 'traceparent',
  in: 'header',
  description: 'W3C trace context, carried onto the events the request causes; a malformed one is ignored.',
  schema: { type: 'string' },
} as const;

/** Shared parameters, referenced from operations as `#/components/parameters/<name>`. */
export const PARAMETERS = {
  AccountId: { name: 'id', in: 'path', required: true, description: 'The account id.', schema: { type: 'string', format: 'uuid' } },
  IfMatch: { ...ifMatch, required: false },
  IfMatchRequired: {
    ...ifMatch,
    required: true,
    description: `${ifMatch.description} Required: without it the answer is 428, so that concurrent updates are not lost.`,
  },
  IdempotencyKey: {
    name: IDEMPOTENCY_KEY_HEADER,
    in: 'header',
    required: false,
    description:
      '1–255 printable ASCII characters, bare or as a quoted string (`"…"`); a fresh UUID per sign-up is ideal. ' +
      'A retry with the same key and body gets the stored response again (with `Idempotent-Replayed: true`); ' +
      'the same key with another body gets 422; while the first request is running, 409. Keys belong to the calling client ' +
      'and are remembered for at least 24 hours.',
    schema: { type: 'string' },
  },
  Traceparent: traceparent,
  Tracestate: { name: 'tracestate', in: 'header', description: 'W3C trace state; kept with a valid `traceparent` only.', schema: { type: 'string' } },
  EmailFilter: {
    name: 'email',
    in: 'query',
    description: 'Only the account with this email, compared as stored: trimmed and case-insensitive.',
    schema: { type: 'string', minLength: 1, maxLength: 320 },
  },
  StatusFilter: { name: 'status', in: 'query', description: 'Only accounts in this state.', schema: { type: 'string', enum: [...ALL_ACCOUNT_STATUSES] } },
  Limit: {
    name: 'limit',
    in: 'query',
    description: 'Page size.',
    schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
  },
  Cursor: { name: 'cursor', in: 'query', description: 'The `nextCursor` of the previous page.', schema: { type: 'string', minLength: 1 } },
} satisfies Record<string, ParameterObject>;

export type ParameterName = keyof typeof PARAMETERS;

export function parameterRef(name: ParameterName): Reference {
  return { $ref: `#/components/parameters/${name}` };
}
