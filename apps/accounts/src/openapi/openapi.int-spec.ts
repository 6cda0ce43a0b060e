import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Type } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { JsonResponse, TestApp, request, startTestApp } from '../../test/test-app';
import { PUBLIC_ROUTE, REQUIRED_SCOPE } from '../api-keys/access.decorator';
import { ApiKeyScope } from '../api-keys/api-key-scope';
import { expressRoutes } from '../problem-details/route-catalog';
import { DOCS_PATH, OPENAPI_DOCUMENT_PATH } from './docs.http.controller';
import { firstDifference } from './document-difference';
import { DOCUMENTED_OPERATIONS } from './documented-operations';
import { handlerRoute } from './handler-route';
import { SECURITY_SCHEME, buildOpenApiDocument } from './openapi-document';
import { OPENAPI_FILE } from './openapi-file';
import { OpenApiConformance } from './openapi-conformance';
import type { OpenApiDocument } from './openapi-types';

const REGENERATE = 'apps/accounts/openapi.json disagrees with the code: run `npx nx run accounts:openapi` and commit the result';

const isDocsRoute = (path: string) => path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`);

function documentedOperations(document: OpenApiDocument): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

describe('OpenAPI: the committed document, the served one and the running service agree', () => {
  let t: TestApp;
  const built = buildOpenApiDocument();
  const committed = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as OpenApiDocument;
  const conformance = new OpenApiConformance(built);

  beforeAll(async () => {
    t = await startTestApp('openapi');
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A request whose response must be exactly as documented for its operation: status, headers, body. */
  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: Parameters<typeof request>[3] = {},
  ): Promise<JsonResponse<T>> {
    const res = await request<T>(t.baseUrl, method, path, options);
    expect(conformance.violations(method, path, res)).toEqual([]);
    return res;
  }

  const signup = () => ({ email: `${randomUUID()}@example.com`, displayName: 'Ada Lovelace', locale: 'en-GB', signupContext: { ip: '203.0.113.7', userAgent: 'curl' } });

  it('has the committed file equal to the document built from the code', () => {
    const difference = firstDifference(committed, JSON.parse(JSON.stringify(built)));
    if (difference) throw new Error(`${REGENERATE}\nFirst difference at ${difference}`);
  });

  it('documents exactly the routes Express serves (besides /docs itself)', () => {
    const served = expressRoutes(t.app.getHttpAdapter().getInstance()).flatMap((route) =>
      route.methods.map((method) => ({ method: method.toUpperCase(), path: route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}') })),
    );
    expect(served.filter((r) => isDocsRoute(r.path)).map((r) => `${r.method} ${r.path}`).sort()).toEqual([`GET ${DOCS_PATH}`, `GET ${OPENAPI_DOCUMENT_PATH}`]);
    const api = served.filter((r) => !isDocsRoute(r.path)).map((r) => `${r.method} ${r.path}`).sort();
    expect(documentedOperations(built)).toEqual(api);
  });

  it('secures each operation with the scope its registered handler requires', () => {
    const reflector = new Reflector();
    const expected: Record<string, unknown> = {};
    // Every controller Nest registered, not the documentation's own list of them.
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as Type<unknown>;
        for (const name of Object.getOwnPropertyNames(controller.prototype)) {
          const fn = (controller.prototype as Record<string, unknown>)[name];
          if (typeof fn !== 'function' || Reflect.getMetadata(METHOD_METADATA, fn) === undefined) continue;
          const route = handlerRoute({ controller, method: name });
          if (isDocsRoute(route.path)) continue;
          const scope = reflector.getAllAndOverride<string | undefined>(REQUIRED_SCOPE, [fn, controller]);
          const open = reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [fn, controller]);
          expected[`${route.method.toUpperCase()} ${route.path}`] = open ? [] : [{ [SECURITY_SCHEME]: [scope] }];
        }
      }
    }
    const actual = Object.fromEntries(
      Object.entries(built.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op.security])),
    );
    expect(actual).toEqual(expected);
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(DOCUMENTED_OPERATIONS.length);
  });

  it('answers the account lifecycle as documented', async () => {
    const body = signup();
    const createdKey = randomUUID();
    const created = await call('POST', '/v1/accounts', { json: body, headers: { 'Idempotency-Key': createdKey } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const replayed = await call('POST', '/v1/accounts', { json: body, headers: { 'Idempotency-Key': createdKey } });
    expect([replayed.status, replayed.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    // A refusal is stored with its key and replayed too.
    const taken = { ...signup(), email: body.email };
    const takenKey = randomUUID();
    expect((await call('POST', '/v1/accounts', { json: taken, headers: { 'Idempotency-Key': takenKey } })).body.code).toBe('EMAIL_ALREADY_REGISTERED');
    const refusedAgain = await call('POST', '/v1/accounts', { json: taken, headers: { 'Idempotency-Key': takenKey } });
    expect([refusedAgain.status, refusedAgain.headers.get('idempotent-replayed')]).toEqual([409, 'true']);
    expect((await call('POST', '/v1/accounts', { json: signup(), headers: { 'Idempotency-Key': takenKey } })).body.code).toBe('IDEMPOTENCY_KEY_REUSED');

    expect((await call('GET', `/v1/accounts/${id}`)).status).toBe(200);
    const list = await call<{ items: unknown[] }>('GET', `/v1/accounts?email=${encodeURIComponent(body.email.toUpperCase())}&status=pending&limit=5`);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);

    const patchHeaders = { 'content-type': 'application/merge-patch+json' };
    expect((await call('PATCH', `/v1/accounts/${id}`, { json: { plan: 'pro' }, headers: patchHeaders })).status).toBe(428);
    const patched = await call('PATCH', `/v1/accounts/${id}`, { json: { plan: 'pro', externalId: `idp|${id}` }, headers: { ...patchHeaders, 'if-match': '"1"' } });
    expect(patched.status).toBe(200);
    expect((await call('PATCH', `/v1/accounts/${id}`, { json: { plan: 'team' }, headers: { 'if-match': '"1"' } })).status).toBe(412);
    expect((await call('PATCH', `/v1/accounts/${id}`, { json: { externalId: 'other' }, headers: { 'if-match': '*' } })).status).toBe(422);

    expect((await call('POST', `/v1/accounts/${id}/suspend`, { json: { reason: 'chargeback' } })).status).toBe(200);
    expect((await call('POST', `/v1/accounts/${id}/suspend`, { json: { reason: 'again' } })).status).toBe(409);
    expect((await call('POST', `/v1/accounts/${id}/reactivate`, { json: { reason: 'paid' }, headers: { 'if-match': patched.headers.get('etag') ?? '' } })).status).toBe(412);
    expect((await call('POST', `/v1/accounts/${id}/reactivate`, { json: { reason: 'paid' } })).status).toBe(200);
    expect((await call('DELETE', `/v1/accounts/${id}`)).status).toBe(204);
    const erased = await call('GET', `/v1/accounts/${id}`);
    expect(erased.body).toMatchObject({ status: 'closed', email: `erased:${id}` });
    expect((await call('PATCH', `/v1/accounts/${id}`, { json: { plan: 'pro' }, headers: { 'if-match': '*' } })).status).toBe(409);
    expect((await call('DELETE', `/v1/accounts/${id}`)).status).toBe(409);
  });

  it('answers errors with the problem documents and statuses documented for each operation', async () => {
    const invalid = await call('POST', '/v1/accounts', { json: { email: 'not-an-email', displayName: ' ' } });
    expect(invalid.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await call('POST', '/v1/accounts', { body: '{"email":', headers: { 'content-type': 'application/json' } })).body.code).toBe('MALFORMED_JSON');
    expect((await call('POST', '/v1/accounts', { body: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    expect((await call('POST', '/v1/accounts', { json: { ...signup(), displayName: 'x'.repeat(100_000) } })).status).toBe(413);
    expect((await call('POST', '/v1/accounts', { json: { ...signup(), locale: 'not a locale' } })).body.code).toBe('LOCALE_INVALID');
    expect((await call('POST', '/v1/accounts', { json: signup(), headers: { 'Idempotency-Key': '' } })).body.code).toBe('IDEMPOTENCY_KEY_INVALID');
    expect((await call('GET', '/v1/accounts?limit=0&color=red')).body.code).toBe('VALIDATION_FAILED');
    expect((await call('GET', '/v1/accounts/not-a-uuid')).body.code).toBe('INVALID_ACCOUNT_ID');
    expect((await call('GET', `/v1/accounts/${randomUUID()}`)).body.code).toBe('ACCOUNT_NOT_FOUND');
    expect((await call('DELETE', `/v1/accounts/${randomUUID()}`, { headers: { 'if-match': 'v1' } })).body.code).toBe('INVALID_IF_MATCH');
    expect((await call('GET', '/v1/accounts', { anonymous: true })).body.code).toBe('UNAUTHENTICATED');

    const reader = await t.issueKey({ scopes: [ApiKeyScope.Read], rateLimitPerSecond: 1 });
    const asReader = { authorization: `Bearer ${reader.key}` };
    expect((await call('POST', '/v1/accounts', { json: signup(), headers: asReader })).body.code).toBe('INSUFFICIENT_SCOPE');
    // One request per second for this key: the second in a row is over the limit.
    await call('GET', '/v1/accounts', { headers: asReader });
    expect((await call('GET', '/v1/accounts', { headers: asReader })).body.code).toBe('RATE_LIMITED');
  });

  it('answers the probes as documented, without a key', async () => {
    expect((await call('GET', '/health/live', { anonymous: true })).status).toBe(200);
    expect((await call('GET', '/health/ready', { anonymous: true })).status).toBe(200);
  });

  it('serves Swagger UI from local assets and the document at /docs, without a key', async () => {
    const page = await fetch(`${t.baseUrl}${DOCS_PATH}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain(`"url":"${OPENAPI_DOCUMENT_PATH}"`);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual(expect.arrayContaining(['/docs/assets/swagger-ui-bundle.js', '/docs/assets/swagger-ui.css']));
    for (const asset of assets) {
      // Same origin only: the page must work where nothing but this service can be reached.
      expect(asset).toMatch(/^\/docs\/assets\//);
      const res = await fetch(`${t.baseUrl}${asset}`);
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    expect((await fetch(`${t.baseUrl}/docs/assets/swagger-ui-bundle.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${t.baseUrl}/docs/assets/`)).status).toBe(404);

    const served = await request(t.baseUrl, 'GET', OPENAPI_DOCUMENT_PATH, { anonymous: true });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^application\/json/);
    expect(served.body).toEqual(committed);
  });
});
