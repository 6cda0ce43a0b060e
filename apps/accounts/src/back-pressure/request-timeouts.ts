import type { Server } from 'node:http';

/** How long the server waits on a client. Beside the in-flight cap because each bounds how long a slow client can hold a slot. */
export interface RequestTimeouts {
  /** From the connection (or the previous response) until the request's headers are in. */
  readonly headersMs: number;
  /** From the connection until the whole request, body included, is in; a handler's own time is not counted. */
  readonly requestMs: number;
  /** How long an idle keep-alive connection is kept for its next request. */
  readonly keepAliveMs: number;
}

/**
 * Node's defaults let a client take 60 s for its headers and 300 s for its body, checked every
 * 30 s: long enough for a few dozen slow uploads to hold every in-flight slot. Here a request too
 * slow to arrive is answered 408 (see answerClientErrorsWithProblems) and its connection closed,
 * which gives its slot back. Set on the server before it listens: the check's interval is read then.
 */
export function applyRequestTimeouts(server: Server, timeouts: RequestTimeouts): void {
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = timeouts.keepAliveMs;
  // How often Node looks for requests past their time: a tenth of the shortest bound (at least
  // 100 ms, at most Node's 30 s), so a timeout fires within 10 % of its value.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(30_000, Math.max(100, Math.floor(Math.min(timeouts.headersMs, timeouts.requestMs) / 10)));
}
