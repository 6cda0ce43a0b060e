import { STATUS_CODES } from 'node:http';
import { ALL_SCOPES, grants } from '../api-keys/api-key-scope';
import { appVersion } from './app-version';
import { PROBLEM_JSON } from '../problem-details/http-problems';
import { DOCUMENTED_OPERATIONS, DocumentedOperation } from './documented-operations';
import { HandlerRoute, handlerRoute } from './handler-route';
import { RESPONSE_HEADERS, ResponseHeaderName } from './openapi-headers';
import { PARAMETERS, parameterRef } from './openapi-parameters';
import { SCHEMAS, schemaRef } from './openapi-schemas';
import type { HeaderObject, HttpMethod, OpenApiDocument, OperationObject, PathItemObject, ResponseObject } from './openapi-types';
import { PROBLEMS, ProblemCode, headersOf } from './problem-catalog';

export const SECURITY_SCHEME = 'apiKey';

/** BackPressureGuard's rule: a full outbox refuses only requests that would write events. */
const READ_METHODS: ReadonlySet<HttpMethod> = new Set(['get', 'head', 'options']);

/** The order the OpenAPI specification lists them in, so path items read the same way everywhere. */
const METHOD_ORDER: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * The OpenAPI 3.1 description of the service, built from the code it describes: routes, success
 * statuses and scopes from the handlers' decorators, request bodies from the ajv schemas. The
 * same call feeds GET /docs/openapi.json and the committed apps/accounts/openapi.json.
 */
export function buildOpenApiDocument(): OpenApiDocument {
  const paths = new Map<string, Map<HttpMethod, OperationObject>>();
  for (const documented of DOCUMENTED_OPERATIONS) {
    const route = handlerRoute(documented.handler);
    const item = paths.get(route.path) ?? new Map<HttpMethod, OperationObject>();
    if (item.has(route.method)) throw new Error(`${route.method.toUpperCase()} ${route.path} is documented twice`);
    item.set(route.method, operationObject(documented, route));
    paths.set(route.path, item);
  }
  return {
    openapi: '3.1.1',
    // Plain JSON Schema: the schemas are shared with ajv and use no OpenAPI-only keywords.
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Accounts API',
      version: appVersion(),
      summary: 'System of record for the account lifecycle: pending → active ⇄ suspended → closed.',
      description: INFO_DESCRIPTION,
    },
    // Relative: the document describes whichever instance serves it.
    servers: [{ url: '/', description: 'The instance serving this document' }],
    tags: [
      { name: 'Accounts', description: 'Sign-up, profile and lifecycle of accounts. Every change emits an event in the same transaction.' },
      { name: 'Health', description: 'Probes for orchestrators and load balancers; no API key.' },
    ],
    paths: Object.fromEntries(
      [...paths.keys()].sort().map((path): [string, PathItemObject] => {
        const item = paths.get(path)!;
        return [path, Object.fromEntries(METHOD_ORDER.filter((m) => item.has(m)).map((m) => [m, item.get(m)!]))];
      }),
    ),
    components: {
      // A copy: whoever holds the document must not be able to change what requests are validated with.
      schemas: structuredClone(SCHEMAS),
      parameters: PARAMETERS,
      securitySchemes: {
        [SECURITY_SCHEME]: { type: 'http', scheme: 'bearer', bearerFormat: 'ak_<16 hex id>_<43 base64url secret>', description: SECURITY_DESCRIPTION },
      },
    },
  };
}

function operationObject(documented: DocumentedOperation, route: HandlerRoute): OperationObject {
  const where = `${route.method.toUpperCase()} ${route.path}`;
  if (route.access.kind === 'undeclared') throw new Error(`${where} declares neither a scope nor public access`);
  const scoped = route.access.kind === 'scope';
  const description = [documented.description, scoped ? `Needs the \`${route.access.scope}\` scope.` : 'Public: no API key.'].filter(Boolean);
  const responses: Record<string, ResponseObject> = { [route.successStatus]: successResponse(documented, scoped) };
  for (const [status, codes] of problemsByStatus(documented, route)) {
    responses[status] = problemResponse(status, codes, route.method, documented.replayedStatuses?.includes(status) ?? false);
  }
  return {
    operationId: documented.operationId,
    tags: [documented.tag],
    summary: documented.summary,
    description: description.join('\n\n'),
    ...(documented.parameters?.length ? { parameters: documented.parameters.map(parameterRef) } : {}),
    ...(documented.requestBody
      ? {
          requestBody: {
            ...(documented.requestBody.description ? { description: documented.requestBody.description } : {}),
            required: true,
            content: Object.fromEntries(documented.requestBody.mediaTypes.map((type) => [type, { schema: schemaRef(documented.requestBody!.schema) }])),
          },
        }
      : {}),
    // Integer-like keys iterate in ascending order, so the statuses come out sorted.
    responses,
    security: route.access.kind === 'scope' ? [{ [SECURITY_SCHEME]: [route.access.scope] }] : [],
  };
}

function successResponse(documented: DocumentedOperation, scoped: boolean): ResponseObject {
  const headers: Partial<Record<ResponseHeaderName, boolean>> = {
    ...documented.success.headers,
    // RateLimitGuard sets them on every request it admits.
    ...(scoped ? { 'RateLimit-Limit': true, 'RateLimit-Remaining': true } : {}),
  };
  return {
    description: documented.success.description,
    ...(Object.keys(headers).length ? { headers: headerObjects(headers) } : {}),
    ...(documented.success.schema ? { content: { 'application/json': { schema: schemaRef(documented.success.schema) } } } : {}),
  };
}

/** The operation's own codes plus those of every operation of its kind, grouped by status. */
function problemsByStatus(documented: DocumentedOperation, route: HandlerRoute): Map<number, ProblemCode[]> {
  const codes = new Set<ProblemCode>(documented.problems);
  if (route.path.includes('{')) codes.add('BAD_REQUEST');
  if (documented.requestBody) ['MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'].forEach((c) => codes.add(c as ProblemCode));
  if (route.access.kind === 'scope') {
    ['UNAUTHENTICATED', 'INSUFFICIENT_SCOPE', 'RATE_LIMITED', 'OVERLOADED'].forEach((c) => codes.add(c as ProblemCode));
    if (!READ_METHODS.has(route.method)) codes.add('EVENT_BACKLOG');
  }
  codes.add('INTERNAL_ERROR');
  // Any operation that reaches the database; probes answer NOT_READY instead.
  if (route.access.kind === 'scope') codes.add('DATABASE_UNAVAILABLE');
  const byStatus = new Map<number, ProblemCode[]>();
  // Catalog order, so the document does not depend on the order codes were listed in.
  for (const code of Object.keys(PROBLEMS) as ProblemCode[]) {
    if (!codes.has(code)) continue;
    const status = PROBLEMS[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

function problemResponse(status: number, codes: readonly ProblemCode[], method: HttpMethod, replayable: boolean): ResponseObject {
  const headers: Partial<Record<ResponseHeaderName, boolean>> = {};
  for (const name of new Set(codes.flatMap((code) => headersOf(code, method)))) {
    headers[name] = codes.every((code) => headersOf(code, method).includes(name));
  }
  if (replayable) headers['Idempotent-Replayed'] = false;
  return {
    description: `${STATUS_CODES[status]}.\n\n${codes.map((code) => `- \`${code}\`: ${PROBLEMS[code].when}.`).join('\n')}`,
    ...(Object.keys(headers).length ? { headers: headerObjects(headers) } : {}),
    content: {
      [PROBLEM_JSON]: {
        schema: { allOf: [schemaRef('ProblemDocument'), { type: 'object', properties: { status: { const: status }, code: { enum: [...codes] } } }] },
      },
    },
  };
}

function headerObjects(headers: Partial<Record<ResponseHeaderName, boolean>>): Record<string, HeaderObject> {
  return Object.fromEntries(
    (Object.entries(headers) as [ResponseHeaderName, boolean][]).map(([name, required]) => [name, { ...RESPONSE_HEADERS[name], ...(required ? { required } : {}) }]),
  );
}

const SECURITY_DESCRIPTION = [
  'An API key as `Authorization: Bearer <key>`. Keys look like `ak_<16 hex id>_<43 base64url secret>` and are issued and revoked ' +
    'with `npx nx run accounts:api-keys -- create|list|revoke`; only their hash is stored.',
  'Scopes nest (`accounts:admin` ⊃ `accounts:write` ⊃ `accounts:read`); each operation names the scope it needs:',
  ALL_SCOPES.map((needed) => `- \`${needed}\`: granted by ${ALL_SCOPES.filter((held) => grants([held], needed)).map((s) => `\`${s}\``).join(', ')}`).join('\n'),
  'A missing, malformed, unknown or revoked key gets `401 UNAUTHENTICATED`; a valid key without the scope gets `403 INSUFFICIENT_SCOPE`. ' +
    'Both carry a `WWW-Authenticate` challenge.',
].join('\n\n');

const INFO_DESCRIPTION = [
  'Accounts is the only writer of account state. Every change is committed together with the event that announces it ' +
    '(CloudEvents on Kafka, published by the outbox relay).',
  '**Errors** are `application/problem+json` (RFC 9457) with a stable `code`; each response below lists the codes it can carry. ' +
    'A known path with another method gets `405 METHOD_NOT_ALLOWED` with `Allow`; an unknown path `404 ROUTE_NOT_FOUND`. ' +
    'Requests the HTTP parser itself refuses, before any route, get `400 BAD_REQUEST`, `431 REQUEST_HEADER_FIELDS_TOO_LARGE` ' +
    'or `408 REQUEST_TIMEOUT`, and the connection is closed.',
  '**Rate limits** are per API key: authenticated responses carry `RateLimit-Limit` and `RateLimit-Remaining`; past the limit, ' +
    '`429` with `Retry-After`. Under overload the service answers `503` with `Retry-After` instead of queueing.',
  '**Concurrency**: account responses carry a strong `ETag` (the row version); send it in `If-Match` to change the account ' +
    'only if nobody else has (required for PATCH).',
].join('\n\n');
