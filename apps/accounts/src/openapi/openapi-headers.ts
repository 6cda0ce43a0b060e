import { IDEMPOTENCY_KEY_HEADER } from '../idempotency/idempotency-key';
import { REPLAYED_HEADER } from '../idempotency/stored-response';
import type { HeaderObject } from './openapi-types';

/** Response headers the API sets, by name; `required` is decided per response. */
export const RESPONSE_HEADERS = {
  ETag: {
    description: 'Strong entity tag of the account version, e.g. `"3"`; send it back in `If-Match`.',
    schema: { type: 'string', pattern: '^"[0-9]+"$' },
  },
  Location: { description: 'Path of the created account.', schema: { type: 'string', format: 'uri-reference' } },
  'Cache-Control': { description: '`no-store`: account data is personal, and probe answers are only true for a moment.', schema: { type: 'string' } },
  [REPLAYED_HEADER]: {
    description: `\`true\` when this is the stored response to an earlier request with the same \`${IDEMPOTENCY_KEY_HEADER}\` and body.`,
    schema: { type: 'string', enum: ['true'] },
  },
  'RateLimit-Limit': { description: 'Requests per second this API key may make.', schema: { type: 'integer', minimum: 1 } },
  'RateLimit-Remaining': { description: 'Requests left in the current second.', schema: { type: 'integer', minimum: 0 } },
  'Retry-After': { description: 'Seconds to wait before retrying (add jitter).', schema: { type: 'integer', minimum: 0 } },
  'WWW-Authenticate': { description: 'The Bearer challenge (RFC 6750); names the missing scope on 403.', schema: { type: 'string' } },
  'Accept-Post': { description: 'The media types a POST body may have.', schema: { type: 'string' } },
  'Accept-Patch': { description: 'The media types a PATCH body may have.', schema: { type: 'string' } },
} satisfies Record<string, HeaderObject>;

export type ResponseHeaderName = keyof typeof RESPONSE_HEADERS;
