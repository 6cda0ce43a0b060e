import type { Server, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_JSON, codeForStatus, problemTypeUri } from './http-problems';

/**
 * Node's HTTP parser refuses some requests before Express sees them (a header with a bare CR or
 * a NUL, headers over 16 KB, a broken request line) and by default answers with an empty body.
 * This gives those refusals the problem document every other error has, so a client (and the
 * fuzz run) never meets an error in another shape.
 */
export function answerClientErrorsWithProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket & { _httpMessage?: ServerResponse }) => {
    // The client is gone: nothing can be written.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    // The garbage came after a request that parsed (pipelined, or smuggled in by a header value
    // with CRLFCRLF in it) and is being handled. Node would answer the garbage at once, and the
    // client would read that 400 as the answer to the first request, whose effects then happened
    // under a refusal. The first request gets its own answer; then the connection closes.
    const inFlight = socket._httpMessage;
    // The error came while the body of the request being handled was still arriving: the client
    // hung up half-way (the parser meets the end of the stream) or took longer than the request
    // timeout. That body will never be complete, so nothing can answer the request but this: a
    // 408 if nothing was written yet, and the connection closed either way. Waiting for the
    // response instead would hold the socket, and the request's in-flight slot, for ever.
    if (inFlight && !inFlight.writableFinished && inFlight.req && !inFlight.req.complete) {
      // Destroyed, not only ended: a client still uploading would keep an ended socket open.
      if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' && !inFlight.headersSent && socket.bytesWritten === 0) socket.end(clientErrorResponse(error.code), () => socket.destroy());
      else socket.destroy();
      return;
    }
    if (inFlight && !inFlight.writableFinished) {
      inFlight.once('finish', () => socket.end());
      inFlight.once('close', () => socket.destroy());
      return;
    }
    // A response already went out on this connection; a second one nobody asked for (Node's
    // default writes none either) would be read as the answer to a request never sent.
    if (socket.bytesWritten > 0) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(error.code));
  });
}

export function clientErrorResponse(errorCode: string | undefined): string {
  const status = errorCode === 'HPE_HEADER_OVERFLOW' ? 431 : errorCode === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  // The same code the problem filter derives for a bare status; the parser's own code names internals.
  const code = codeForStatus(status);
  const detail = status === 431 ? 'The request headers are too large.' : status === 408 ? 'The request took too long to arrive.' : 'The request could not be understood.';
  // The request line may not even have parsed, so the path is unknown.
  const body = JSON.stringify({ type: problemTypeUri(code), title: STATUS_CODES[status], status, detail, instance: '/', code });
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    `Content-Type: ${PROBLEM_JSON}`,
    'Cache-Control: no-store',
    'Connection: close',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}
