import type { IncomingMessage, ServerResponse } from 'node:http';
import { context } from '@opentelemetry/api';
import { RPCType, getRPCMetadata } from '@opentelemetry/core';

type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

/**
 * Express middleware that tells the HTTP instrumentation which route a request matched, for the
 * span name (`POST /v1/accounts`) and the `http.route` attribute of spans and request metrics.
 * The express instrumentation would do this, but it hooks `require` and Nest 12 loads express
 * through ESM `import`, past the hook. Express sets `req.route` when a route matches; the route is
 * read once the response is finished, after Nest's guards and handler have run.
 */
export function recordHttpRoute(req: RoutedRequest, res: ServerResponse, next: () => void): void {
  const rpc = getRPCMetadata(context.active());
  if (rpc?.type === RPCType.HTTP) {
    res.once('finish', () => {
      const path = req.route?.path;
      if (typeof path === 'string') rpc.route = `${req.baseUrl ?? ''}${path}`;
    });
  }
  next();
}
