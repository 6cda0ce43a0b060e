import type { IncomingMessage, ServerResponse } from 'node:http';
import { rawProblemAnswer } from '../problem-details/raw-problem-answer';
import { ApiKeyAuthenticator, unauthenticatedProblem } from './api-key.authenticator';

/**
 * Express middleware, ahead of the body parser: a request that carries a body and no valid key is
 * refused before a byte of that body is read. Otherwise an anonymous client could hold the
 * service's time and an in-flight slot for as long as it takes to upload (or not upload) what it
 * declared, which is how 64 slow keyless uploads once shut every signup out.
 *
 * Only requests with a body are checked here: the routes without a key (probes, the API
 * description) take none, and the guard decides every other request after routing, as before.
 * The refusal closes the connection, since the rest of the body is not worth reading. If the
 * lookup itself fails (the database is down), the request goes on and the guard's own lookup
 * answers with the problem that failure deserves.
 */
export function authenticateBeforeBody(authenticator: ApiKeyAuthenticator): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const refuse = rawProblemAnswer(unauthenticatedProblem(), { Connection: 'close' });
  return (req, res, next) => {
    if (!hasBody(req)) return next();
    authenticator.authenticate(req).then(
      (key) => {
        if (key) return next();
        refuse(req, res);
      },
      () => next(),
    );
  };
}

/** A declared body (Content-Length above 0) or one of unknown length (Transfer-Encoding). */
function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}
