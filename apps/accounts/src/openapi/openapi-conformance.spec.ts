import { randomUUID } from 'node:crypto';
import { buildOpenApiDocument } from './openapi-document';
import { ObservedResponse, OpenApiConformance } from './openapi-conformance';

const conformance = new OpenApiConformance(buildOpenApiDocument());
const id = randomUUID();

const account = {
  id,
  email: 'ada@example.com',
  displayName: 'Ada',
  locale: 'en',
  plan: 'free',
  externalId: null,
  status: 'pending',
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  closedAt: null,
  suspensionReasons: null,
  abuseVerdict: null,
  abuseScore: null,
  provisioningStatus: null,
  workspaceSchema: null,
};

function response(status: number, body: unknown, headers: Record<string, string>): ObservedResponse {
  return { status, body, headers: new Headers(headers) };
}

const accountHeaders = { 'content-type': 'application/json; charset=utf-8', etag: '"1"', 'cache-control': 'no-store', 'ratelimit-limit': '10', 'ratelimit-remaining': '9' };
const problem = (status: number, code: string) => ({ type: 'urn:platform:problem:x', title: 'T', status, detail: 'D', instance: '/v1/accounts', code });
const problemHeaders = { 'content-type': 'application/problem+json' };

/** The drift tests pass only if this checker fails what departs from the document; these show it does. */
describe('OpenApiConformance', () => {
  it('finds the operation of a concrete path', () => {
    expect(conformance.routeFor('GET', `/v1/accounts/${id}`)?.operation.operationId).toBe('getAccount');
    expect(conformance.routeFor('POST', `/v1/accounts/${id}/suspend?x=1`)?.operation.operationId).toBe('suspendAccount');
    expect(conformance.routeFor('GET', '/v1/accounts')?.operation.operationId).toBe('listAccounts');
    expect(conformance.routeFor('PUT', '/v1/accounts')).toBeUndefined();
  });

  it('accepts a response as documented', () => {
    expect(conformance.violations('GET', `/v1/accounts/${id}`, response(200, account, accountHeaders))).toEqual([]);
    expect(conformance.violations('GET', `/v1/accounts/${id}`, response(404, problem(404, 'ACCOUNT_NOT_FOUND'), problemHeaders))).toEqual([]);
    expect(conformance.violations('DELETE', `/v1/accounts/${id}`, response(204, undefined, { etag: '"2"', 'ratelimit-limit': '1', 'ratelimit-remaining': '0' }))).toEqual([]);
  });

  it('flags an undocumented status, a missing required header, an undocumented field and a wrong code', () => {
    expect(conformance.violations('GET', `/v1/accounts/${id}`, response(418, {}, problemHeaders))).toEqual([expect.stringMatching(/status not documented/)]);
    const { etag: _etag, ...withoutEtag } = accountHeaders;
    expect(conformance.violations('GET', `/v1/accounts/${id}`, response(200, account, withoutEtag))).toEqual([expect.stringMatching(/required header ETag/)]);
    expect(conformance.violations('GET', `/v1/accounts/${id}`, response(200, { ...account, secret: 1 }, accountHeaders))).toEqual([
      expect.stringMatching(/must NOT have additional properties/),
    ]);
    expect(conformance.violations('GET', `/v1/accounts/${id}`, response(404, problem(404, 'EMAIL_ALREADY_REGISTERED'), problemHeaders))).toEqual([
      expect.stringMatching(/body\/code must be equal to one of the allowed values/),
    ]);
    expect(conformance.violations('GET', `/v1/accounts/${id}`, response(200, account, { ...accountHeaders, 'content-type': 'text/html' }))).toEqual([
      expect.stringMatching(/content type text\/html not documented/),
    ]);
    expect(conformance.violations('PUT', '/v1/accounts', response(405, {}, problemHeaders))).toEqual([expect.stringMatching(/no documented operation/)]);
  });
});
