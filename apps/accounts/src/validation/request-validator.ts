import Ajv, { ErrorObject, SchemaObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { isIP } from 'node:net';
import { FieldError, RequestValidationProblem } from '../problem-details/http-problems';
import { unstorableStrings } from './storable-text';

// One instance per process: schemas compile to code once, validation per request is cheap.
// allErrors so a client sees every bad field in one round trip.
// allowUnionTypes: nullable fields are spelled ["string", "null"].
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv, ['email', 'uuid', 'date-time']);
// Either address family; Node's parser is the reference rather than another regex.
ajv.addFormat('ip-address', { type: 'string', validate: (value: string) => isIP(value) !== 0 });
// minLength counts whitespace; a display name of three spaces is still empty to a person.
ajv.addFormat('non-blank', { type: 'string', validate: (value: string) => value.trim().length > 0 });

export type RequestValidator<T> = (body: unknown) => T;

/**
 * Compiles a JSON schema into a function that returns the body typed, or throws a 400 problem
 * naming each offending field by JSON Pointer.
 */
export function compileRequestValidator<T>(schema: SchemaObject): RequestValidator<T> {
  const validate: ValidateFunction = ajv.compile(schema);
  return (body: unknown): T => {
    if (body === undefined) {
      throw new RequestValidationProblem([{ pointer: '', detail: 'a JSON body is required' }], 'The request has no JSON body.');
    }
    const unstorable = unstorableStrings(body);
    if (unstorable.length > 0) throw new RequestValidationProblem(unstorable);
    if (!validate(body)) throw new RequestValidationProblem(fieldErrors(validate.errors ?? []));
    return body as T;
  };
}

/** One entry per field, the first message for it: five messages about one field help nobody. */
export function fieldErrors(errors: readonly ErrorObject[]): FieldError[] {
  const byPointer = new Map<string, string>();
  for (const error of errors) {
    const pointer = pointerOf(error);
    if (!byPointer.has(pointer)) byPointer.set(pointer, describe(error));
  }
  return [...byPointer].map(([pointer, detail]) => ({ pointer, detail }));
}

function pointerOf(error: ErrorObject): string {
  // ajv reports a missing or unexpected property at its parent; the client wants the property itself.
  if (error.keyword === 'required') return `${error.instancePath}/${escapePointer(String(error.params.missingProperty))}`;
  if (error.keyword === 'additionalProperties') {
    return `${error.instancePath}/${escapePointer(String(error.params.additionalProperty))}`;
  }
  return error.instancePath;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function describe(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not an accepted field';
    case 'type':
      return `must be ${article(String(p.type))}`;
    case 'minLength':
      return Number(p.limit) === 1 ? 'must not be empty' : `must be at least ${p.limit} characters long`;
    case 'maxLength':
      return `must be at most ${p.limit} characters long`;
    case 'format':
      if (p.format === 'non-blank') return 'must not be blank';
      return p.format === 'email' ? 'must be a valid email address' : `must be a valid ${String(p.format).replace(/-/g, ' ')}`;
    case 'minProperties':
      return 'must contain at least one field';
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return error.message ?? 'is invalid';
  }
}

function article(type: string): string {
  // ajv joins multiple allowed types with commas: "string,null".
  const types = type.split(',');
  return types.map((t) => (t === 'null' ? 'null' : `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`)).join(' or ');
}
