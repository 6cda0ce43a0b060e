import { Controller, Get, Header } from '@nestjs/common';
import { PublicRoute } from '../api-keys/access.decorator';
import { buildOpenApiDocument } from './openapi-document';
import type { OpenApiDocument } from './openapi-types';
import { swaggerUiPage } from './swagger-ui-page';

export const DOCS_PATH = '/docs';
export const OPENAPI_DOCUMENT_PATH = `${DOCS_PATH}/openapi.json`;

/**
 * The API description, open to anyone: it says nothing a client could not learn by trying, and
 * a developer holding no key yet should be able to read it. The document is built from the
 * running code, so it describes this instance even before the committed file is regenerated.
 */
@PublicRoute()
@Controller(DOCS_PATH)
export class DocsHttpController {
  // Built once: it depends only on code, and a broken table should stop the app at start-up.
  private readonly document: OpenApiDocument = buildOpenApiDocument();
  private readonly page = swaggerUiPage(OPENAPI_DOCUMENT_PATH, this.document.info.title);

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  ui(): string {
    return this.page;
  }

  @Get('openapi.json')
  @Header('Cache-Control', 'no-cache')
  openApi(): OpenApiDocument {
    return this.document;
  }
}
