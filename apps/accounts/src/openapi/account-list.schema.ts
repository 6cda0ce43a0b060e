import type { AccountListResponse } from '../accounts/list-accounts.http.controller';
import type { JsonSchema } from './openapi-types';

const properties: { readonly [K in keyof AccountListResponse]-?: JsonSchema } = {
  items: { type: 'array', items: { $ref: '#/components/schemas/Account' } },
  nextCursor: {
    type: ['string', 'null'],
    description: 'Pass as `cursor` to get the next page; null on the last page. Opaque: its format may change.',
  },
};

export const accountListSchema: JsonSchema = {
  title: 'AccountList',
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties),
  properties,
};
