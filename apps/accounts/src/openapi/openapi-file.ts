import path from 'node:path';
import type { OpenApiDocument } from './openapi-types';

/** The committed copy, for readers of the repository and for API tooling that wants a file. */
export const OPENAPI_FILE = path.resolve(__dirname, '../../openapi.json');

/** Two-space JSON with a final newline; key order is the builder's, which is fixed, so regenerating changes nothing. */
export function serializeOpenApiDocument(document: OpenApiDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
