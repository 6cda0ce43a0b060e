import { SWAGGER_UI_ASSETS_PREFIX } from './swagger-ui-assets';

/**
 * Swagger UI over the document at `documentUrl`. validatorUrl is off: by default the UI sends
 * the document to an external validator, which this service must not depend on (or leak to).
 */
export function swaggerUiPage(documentUrl: string, title: string): string {
  const config = { url: documentUrl, dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null };
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${escapeHtml(title)}</title>
  <link rel="stylesheet" href="${SWAGGER_UI_ASSETS_PREFIX}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${SWAGGER_UI_ASSETS_PREFIX}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${SWAGGER_UI_ASSETS_PREFIX}/swagger-ui-bundle.js"></script>
  <script>window.ui = SwaggerUIBundle(${JSON.stringify(config).replace(/</g, '\\u003c')});</script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
