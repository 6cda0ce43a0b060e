import { deadLetterMiddleware } from './dead-letter';
import { decodeMiddleware } from './decode';
import { drainMiddleware } from './drain';
import { dueMiddleware } from './due';
import { hooksMiddleware } from './hooks';
import { inboxMiddleware } from './inbox';
import { invokeHandler } from './invoke-handler';
import { parkMiddleware } from './park';
import type { PipelineDeps } from './pipeline-deps';
import { Middleware, Step, compose } from './record-job';
import { retryMiddleware } from './retry';
import { routeMiddleware } from './route';
import { validateMiddleware } from './validate';

/**
 * The chain every record runs through, outermost first:
 *
 *   hooks → drain → dead-letter → due → decode → route → validate → [park] → retry → inbox → handler
 *
 * dead-letter sits outside due, decode and validate so a retry time out of bounds and bad bytes
 * reach it, and outside retry so it sees exhaustion; park sits outside retry so the head check
 * runs once per delivery, not per attempt; inbox sits inside retry so every attempt is its own transaction.
 */
export function buildPipeline(deps: PipelineDeps): Step {
  const middlewares: Middleware[] = [
    hooksMiddleware(deps),
    drainMiddleware(deps),
    deadLetterMiddleware(deps),
    dueMiddleware(deps),
    decodeMiddleware(),
    routeMiddleware(deps),
    validateMiddleware(),
    ...(deps.ordering === 'park' ? [parkMiddleware(deps)] : []),
    retryMiddleware(deps),
    inboxMiddleware(deps),
  ];
  return compose(middlewares, invokeHandler(deps));
}
