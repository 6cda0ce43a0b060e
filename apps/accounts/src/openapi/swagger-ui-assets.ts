import path from 'node:path';

/** Where the page loads Swagger UI from: this service, never a CDN. */
export const SWAGGER_UI_ASSETS_PREFIX = '/docs/assets';

/** swagger-ui-dist's prebuilt files; resolved through its package.json because the package ships no types. */
export function swaggerUiAssetsDirectory(): string {
  return path.dirname(require.resolve('swagger-ui-dist/package.json'));
}
