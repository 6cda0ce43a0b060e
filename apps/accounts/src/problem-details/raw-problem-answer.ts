import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpProblem } from './http-problems';

/**
 * Answers a request with a problem built once, outside Express and its filter, for refusals made
 * before routing (the in-flight cap, a body without a key). Built once because a problem is an
 * Error, and capturing a stack per refusal was the largest single cost of refusing under overload.
 */
export function rawProblemAnswer(problem: HttpProblem, extraHeaders: Readonly<Record<string, string>> = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const headers = Object.entries({ ...problem.responseHeaders(), ...extraHeaders });
  return (req, res) => {
    res.statusCode = problem.status;
    for (const [name, value] of headers) res.setHeader(name, value);
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    res.end(JSON.stringify(problem.toDocument(query === -1 ? url : url.slice(0, query))));
  };
}
