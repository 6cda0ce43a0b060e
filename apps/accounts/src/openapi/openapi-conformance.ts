import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { mediaTypeEssence } from '../problem-details/media-type';
import type { HttpMethod, OpenApiDocument, OperationObject } from './openapi-types';

/** A response as a test saw it: fetch's Headers, and the parsed JSON body (undefined when empty). */
export interface ObservedResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export interface DocumentedRoute {
  readonly template: string;
  readonly method: HttpMethod;
  readonly operation: OperationObject;
}

const DOCUMENT_ID = 'urn:accounts:openapi';
/** Top-level document fields that are not JSON Schema keywords; ajv is told to leave them alone. */
const DOCUMENT_FIELDS = ['openapi', 'jsonSchemaDialect', 'info', 'servers', 'tags', 'paths', 'components', 'security', 'webhooks', 'externalDocs'];

/**
 * Checks real responses against the document: the status is documented for the operation, the
 * headers it marks required are present, and the body validates against the documented schema
 * for its content type. Used by the drift tests; strict ajv, so a malformed schema fails too.
 */
export class OpenApiConformance {
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    this.ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
    addFormats(this.ajv, ['email', 'uuid', 'date-time', 'uri', 'uri-reference']);
    // Request-only formats: the service's own validator checks them; no response carries them.
    this.ajv.addFormat('non-blank', true);
    this.ajv.addFormat('ip-address', true);
    this.ajv.addVocabulary(DOCUMENT_FIELDS);
    this.ajv.addSchema({ $id: DOCUMENT_ID, ...document });
  }

  /** The documented operation serving a concrete path such as `/v1/accounts/5e…`. */
  routeFor(method: string, path: string): DocumentedRoute | undefined {
    const bare = path.split(/[?#]/, 1)[0];
    const verb = method.toLowerCase() as HttpMethod;
    for (const [template, item] of Object.entries(this.document.paths)) {
      const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      const operation = item[verb];
      if (operation && pattern.test(bare)) return { template, method: verb, operation };
    }
    return undefined;
  }

  /** Every way the response departs from the document; empty when it conforms. */
  violations(method: string, path: string, response: ObservedResponse): string[] {
    const where = `${method.toUpperCase()} ${path} → ${response.status}`;
    const route = this.routeFor(method, path);
    if (!route) return [`${where}: no documented operation`];
    const documented = route.operation.responses[String(response.status)];
    if (!documented) return [`${where}: status not documented; documented: ${Object.keys(route.operation.responses).join(', ')}`];

    const found: string[] = [];
    for (const [name, header] of Object.entries(documented.headers ?? {})) {
      if (header.required && !response.headers.has(name)) found.push(`${where}: required header ${name} is missing`);
    }
    const contentType = mediaTypeEssence(response.headers.get('content-type') ?? undefined);
    if (!documented.content) {
      if (response.body !== undefined) found.push(`${where}: documented without a body, got ${contentType ?? 'one'}`);
      return found;
    }
    if (!contentType || !documented.content[contentType]) {
      return [...found, `${where}: content type ${contentType ?? '(none)'} not documented; documented: ${Object.keys(documented.content).join(', ')}`];
    }
    const validate = this.validator(route, response.status, contentType);
    if (!validate(response.body)) {
      for (const error of validate.errors ?? []) found.push(`${where}: body${error.instancePath} ${error.message} (${error.schemaPath})`);
    }
    return found;
  }

  /** Compiles the schema of every documented response body, so a malformed one fails before any request is made. */
  compileAll(): number {
    let count = 0;
    for (const [template, item] of Object.entries(this.document.paths)) {
      for (const [method, operation] of Object.entries(item) as [HttpMethod, OperationObject][]) {
        for (const [status, response] of Object.entries(operation.responses)) {
          for (const contentType of Object.keys(response.content ?? {})) {
            this.validator({ template, method, operation }, Number(status), contentType);
            count += 1;
          }
        }
      }
    }
    return count;
  }

  private validator(route: DocumentedRoute, status: number, contentType: string): ValidateFunction {
    const pointer = ['paths', route.template, route.method, 'responses', String(status), 'content', contentType, 'schema']
      .map((segment) => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1')))
      .join('/');
    const ref = `${DOCUMENT_ID}#/${pointer}`;
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    return validate;
  }
}
