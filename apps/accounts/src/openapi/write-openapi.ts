import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildOpenApiDocument } from './openapi-document';
import { OPENAPI_FILE, serializeOpenApiDocument } from './openapi-file';

/** `npx nx run accounts:openapi`: rewrites the committed document after an API change. */
writeFileSync(OPENAPI_FILE, serializeOpenApiDocument(buildOpenApiDocument()));
process.stdout.write(`wrote ${path.relative(process.cwd(), OPENAPI_FILE)}\n`);
