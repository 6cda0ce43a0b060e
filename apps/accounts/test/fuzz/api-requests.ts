import fc from 'fast-check';
import { hostileJson, hostileString, limitNumber } from '@platform/testing';
import type { RawRequest } from './raw-http';

/** What the generators need from the running app: a key that works and accounts that exist. */
export interface ApiFuzzContext {
  readonly apiKey: string;
  /** Accounts made before the run, with the ETag each had then (stale once a case changes it). */
  readonly accounts: readonly { readonly id: string; readonly etag: string }[];
  readonly bodyLimitBytes: number;
}

export interface FuzzRequest extends RawRequest {
  /** Which family made it, for the failure message. */
  readonly family: string;
}

const JSON_TYPE = 'application/json';

/** Percent-encodes every byte but the unreserved ones; encodeURIComponent throws on lone surrogates. */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Bad percent-encoding and overlong UTF-8, which a string arbitrary never produces once encoded. */
const BROKEN_ESCAPES = ['%', '%zz', '%C0%AF', '%E0%80%AF', '%FF', '%ED%A0%80', '%00', '..%2F..%2F', '%u0041'];

/** A hostile string as it would appear in a path segment or query value. */
function urlPart(): fc.Arbitrary<string> {
  return fc.oneof({ weight: 4, arbitrary: hostileString(120).map(percentEncode) }, { weight: 1, arbitrary: fc.constantFrom(...BROKEN_ESCAPES) });
}

/** A header value as bytes on the wire: CR/LF and NUL included, which is the injection case. */
function headerValue(): fc.Arbitrary<string> {
  return fc.oneof(
    hostileString(200),
    fc.constantFrom('a\r\nX-Injected: 1', 'a\nX-Injected: 1', 'a\rb', '\u0000', ' \t ', 'ÿ\u00fe', '\u0100\u20ac'),
    fc.nat({ max: 20_000 }).map((n) => 'x'.repeat(n)),
  );
}

function auth(context: ApiFuzzContext): [string, string] {
  return ['Authorization', `Bearer ${context.apiKey}`];
}

/** A valid signup, so that mutating one part of it tests that part rather than the whole. */
export function validSignup(): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    email: fc.uuid().map((id) => `fuzz-${id}@example.com`),
    displayName: fc.constant('Fuzz User'),
    locale: fc.constantFrom('en', 'de-CH'),
    plan: fc.constant('free'),
  });
}

/** One field of a valid body replaced by something of the wrong type, length or content; or an unknown field. */
function mutatedSignup(): fc.Arbitrary<unknown> {
  const fields = ['email', 'displayName', 'locale', 'plan', 'externalId', 'signupContext', 'unknownField', '__proto__', 'constructor'];
  const value = fc.oneof(hostileString(400), hostileJson(2), limitNumber(), fc.constant(null), fc.constant(undefined));
  return fc.tuple(validSignup(), fc.constantFrom(...fields), value, fc.boolean()).map(([body, field, replacement, nested]) => {
    if (field === 'signupContext' && nested) return { ...body, signupContext: { ip: replacement, userAgent: replacement } };
    const copy: Record<string, unknown> = { ...body };
    if (replacement === undefined) delete copy[field];
    else Object.defineProperty(copy, field, { value: replacement, enumerable: true, writable: true, configurable: true });
    return copy;
  });
}

/** Bodies as bytes: mutated JSON, truncated JSON, deep nesting, random bytes, past the size limit. */
function hostileBody(context: ApiFuzzContext): fc.Arbitrary<Buffer> {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'undefined', 'utf8');
  return fc.oneof(
    { weight: 4, arbitrary: mutatedSignup().map(json) },
    { weight: 2, arbitrary: hostileJson(4).map(json) },
    { weight: 2, arbitrary: fc.tuple(validSignup(), fc.nat()).map(([body, cut]) => { const text = JSON.stringify(body); return Buffer.from(text.slice(0, cut % text.length)); }) },
    { weight: 2, arbitrary: nested(context.bodyLimitBytes) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }).map((n) => Buffer.from(`{"email":"${'a'.repeat(context.bodyLimitBytes * n)}@example.com"}`)) },
    { weight: 1, arbitrary: fc.constantFrom('{"email":"a@b.c","email":"x@y.z","displayName":"d"}', '{"email":"\\u0000@example.com","displayName":"x"}', '{"a":1}garbage', '\ufeff{}', '{"displayName":"\\ud800"}', '1e999', '"string"', 'null').map((text) => Buffer.from(text)) },
  );
}

/** `[[[…]]]` or `{"a":{"a":…}}` up to just under the body limit: deep enough to exhaust a recursive walk. */
function nested(bodyLimitBytes: number): fc.Arbitrary<Buffer> {
  return fc.tuple(fc.integer({ min: 1, max: Math.floor(bodyLimitBytes / 2) - 8 }), fc.constantFrom('array', 'object', 'signup')).map(([depth, kind]) => {
    if (kind === 'array') return Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    const objectDepth = Math.floor(depth / 3);
    const inner = `${'{"a":'.repeat(objectDepth)}1${'}'.repeat(objectDepth)}`;
    return Buffer.from(kind === 'object' ? inner : `{"email":"deep@example.com","displayName":"d","signupContext":${inner}}`);
  });
}

const CONTENT_TYPES = [
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=nonsense',
  'application/merge-patch+json',
  'application/problem+json',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  '',
  'application/json, text/plain',
  ';;;',
  'application/json; charset="utf-8"; q=0.5',
  'APPLICATION/JSON',
];

/** POST /v1/accounts with hostile bodies, types and headers, with or without an Idempotency-Key. */
export function signupRequest(context: ApiFuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      body: hostileBody(context),
      contentType: fc.oneof({ weight: 5, arbitrary: fc.constant(JSON_TYPE as string | undefined) }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
      encoding: fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-nonsense'), { freq: 8 }),
      idempotencyKey: fc.option(fc.oneof(fc.uuid(), headerValue()), { freq: 2 }),
      trace: fc.option(fc.record({ traceparent: fc.oneof(headerValue(), fc.constant('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')), tracestate: headerValue() }), { freq: 4 }),
    })
    .map(({ body, contentType, encoding, idempotencyKey, trace }) => {
      const headers: [string, string][] = [auth(context)];
      if (contentType !== undefined) headers.push(['Content-Type', contentType]);
      if (encoding !== null) headers.push(['Content-Encoding', encoding]);
      if (idempotencyKey !== null) headers.push(['Idempotency-Key', idempotencyKey]);
      if (trace) headers.push(['traceparent', trace.traceparent], ['tracestate', trace.tracestate]);
      return { family: 'signup', method: 'POST', target: '/v1/accounts', headers, body };
    });
}

/** GET /v1/accounts with hostile filters, limits and cursors, repeated and nested parameters. */
export function listRequest(context: ApiFuzzContext): fc.Arbitrary<FuzzRequest> {
  const cursor = fc.oneof(
    urlPart(),
    // Well-formed base64url around a bad or extreme inside: the decoder's checks, then the query's.
    fc.tuple(fc.oneof(fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'garbage' : d.toISOString())), hostileString(40), fc.constantFrom('+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z', '0000-01-01T00:00:00Z', '99999-01-01', '1970-01-01')), fc.oneof(fc.uuid(), hostileString(40)))
      .map(([time, id]) => Buffer.from(`${time}|${id}`, 'utf8').toString('base64url')),
  );
  const param = fc.oneof(
    fc.tuple(fc.constant('cursor'), cursor),
    fc.tuple(fc.constant('limit'), fc.oneof(limitNumber().map(String), urlPart())),
    fc.tuple(fc.constant('email'), urlPart()),
    fc.tuple(fc.constant('status'), fc.oneof(fc.constantFrom('active', 'pending', 'ACTIVE', 'closed'), urlPart())),
    fc.tuple(fc.constantFrom('status[x]', 'limit[]', 'email[a][b]', '__proto__[x]', 'constructor[prototype][x]'), urlPart()),
    fc.tuple(urlPart(), urlPart()),
  );
  return fc.array(param, { maxLength: 5 }).map((params) => ({
    family: 'list',
    method: 'GET',
    target: `/v1/accounts${params.length ? '?' : ''}${params.map(([k, v]) => `${k}=${v}`).join('&')}`,
    headers: [auth(context)],
  }));
}

/** The routes on one account, with real, unknown and hostile ids and fresh, stale and garbage If-Match. */
export function accountRequest(context: ApiFuzzContext): fc.Arbitrary<FuzzRequest> {
  const known = fc.constantFrom(...context.accounts);
  const id = fc.oneof(known.map((a) => a.id), fc.uuid(), urlPart(), fc.constantFrom('00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '1', '-1', '9'.repeat(40)));
  const ifMatch = fc.option(
    fc.oneof(known.map((a) => a.etag), fc.constantFrom('*', '"0"', '"999999999"', '"9999999999"', '"-1"', 'W/"1"', '"1", "2"', '"1"x', '""', ','), headerValue()),
    { freq: 5 },
  );
  const route = fc.constantFrom(
    { method: 'GET', suffix: '' },
    { method: 'PATCH', suffix: '' },
    { method: 'DELETE', suffix: '' },
    { method: 'POST', suffix: '/suspend' },
    { method: 'POST', suffix: '/reactivate' },
  );
  const body = fc.oneof(
    fc.constant(undefined),
    fc.record({ reason: hostileString(600) }).map((b) => Buffer.from(JSON.stringify(b))),
    fc.record({ displayName: hostileString(120), locale: fc.oneof(hostileString(40), limitNumber()) }, { requiredKeys: [] }).map((b) => Buffer.from(JSON.stringify(b))),
    hostileBody(context),
  );
  return fc
    .record({ route, id, ifMatch, body, contentType: fc.constantFrom(JSON_TYPE, JSON_TYPE, 'application/merge-patch+json', 'text/plain') })
    .map(({ route, id, ifMatch, body, contentType }) => {
      const headers: [string, string][] = [auth(context)];
      if (ifMatch !== null) headers.push(['If-Match', ifMatch]);
      if (body) headers.push(['Content-Type', contentType]);
      return { family: 'account', method: route.method, target: `/v1/accounts/${id}${route.suffix}`, headers, body };
    });
}

/** Wrong methods, unknown paths, missing and garbage keys, huge and numerous headers. */
export function strayRequest(context: ApiFuzzContext): fc.Arbitrary<FuzzRequest> {
  const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'FOO');
  const path = fc.oneof(
    fc.constantFrom('/v1/accounts', '/v1/accounts/', '/v1/accounts//x', '/health/live', '/health/ready', '/docs', '/openapi.json', '/', '//', '/v1', '/v2/accounts', '/v1/accounts/x/suspend/y'),
    urlPart().map((p) => `/v1/accounts/${p}/${p}`),
    urlPart().map((p) => `/${p}`),
  );
  const authorization = fc.oneof(
    fc.constant<string | null>(null),
    fc.constant(`Bearer ${context.apiKey}`),
    headerValue().map((v) => `Bearer ${v}`),
    fc.constantFrom('Bearer', 'Basic YWRtaW46YWRtaW4=', `bearer ${context.apiKey}`, `Bearer ${context.apiKey}x`, `Bearer ${context.apiKey.slice(0, -1)}`, `Bearer  ${context.apiKey}`),
  );
  const extraHeaders = fc.array(fc.tuple(fc.constantFrom('X-Forwarded-For', 'X-Request-Id', 'Accept', 'Accept-Language', 'Cookie', 'X-Fuzz', 'traceparent', 'Idempotency-Key', 'If-Match', 'Content-Type'), headerValue()), { maxLength: 3 });
  const many = fc.nat({ max: 150 }).map((n) => Array.from({ length: n }, (_, i) => [`X-Many-${i}`, 'v'] as [string, string]));
  return fc.record({ method, path, authorization, extraHeaders, many }).map(({ method, path, authorization, extraHeaders, many }) => {
    const headers: [string, string][] = [...extraHeaders, ...many];
    if (authorization !== null) headers.push(['Authorization', authorization]);
    return { family: 'stray', method, target: path, headers };
  });
}
