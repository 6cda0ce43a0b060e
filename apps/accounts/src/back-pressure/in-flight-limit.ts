import type { NextFunction, Request, Response } from 'express';
import { overloadedProblem } from './overloaded.problem';

/**
 * The cheapest refusal there is: the first middleware, before the body is read or a route is
 * matched. Under three times its capacity the service spent its one CPU routing, parsing and
 * guarding requests it would refuse anyway, and the requests it accepted waited behind them
 * (p99 over a second in the overload run). Capping the requests in progress keeps the queue, and
 * so the latency of accepted requests, bounded; the rest get 503 at once. Probes are exempt.
 */
export function inFlightLimit(maxInFlight: number, retryAfterSeconds: number) {
  let inFlight = 0;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path.startsWith('/health/')) return next();
    if (inFlight >= maxInFlight) {
      const problem = overloadedProblem(retryAfterSeconds);
      res.status(problem.status);
      for (const [name, value] of Object.entries(problem.responseHeaders())) res.setHeader(name, value);
      // The body is not read: the connection cannot be reused, so it is closed after the answer.
      res.setHeader('Connection', 'close');
      res.end(JSON.stringify(problem.toDocument(req.path)));
      return;
    }
    inFlight++;
    res.once('close', () => inFlight--);
    next();
  };
}
