import { connect } from 'node:net';

/** What a fuzz case sends: bytes as given, so headers may carry CR/LF, NUL or non-UTF-8. */
export interface RawRequest {
  readonly method: string;
  /** Sent verbatim after the method: percent-encoding, or the lack of it, is the case's business. */
  readonly target: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body?: Buffer;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The raw head, for the leak checks: every header line as the server wrote it. */
  readonly head: string;
  readonly body: string;
}

/**
 * HTTP/1.1 over a plain socket. fetch and node:http both refuse to send a header with CR/LF or a
 * body shorter than its Content-Length, and those are exactly the requests worth sending.
 */
export function sendRaw(baseUrl: string, request: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const body = request.body ?? Buffer.alloc(0);
  const length = request.body ? body.length : undefined;
  const lines = [`${request.method} ${request.target} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Connection: close'];
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  if (length !== undefined) lines.push(`Content-Length: ${length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');

  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no complete response within ${timeoutMs} ms to ${request.method} ${request.target.slice(0, 100)}`)), timeoutMs);
    socket.on('connect', () => {
      // No half-close: the server may take our FIN as an abort. Connection: close ends the exchange.
      socket.write(Buffer.concat([head, body]));
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    // The server may answer and reset before reading a body it refused; what it wrote still counts.
    socket.on('error', (error) => {
      if (chunks.length === 0) finish(error);
    });
    socket.on('close', () => finish());
    let done = false;
    function finish(error?: Error) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) return reject(error);
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (parseError) {
        reject(parseError);
      }
    }
  });
}

function parseResponse(raw: Buffer): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`the server closed the connection without a complete response (${raw.length} bytes)`);
  const head = raw.subarray(0, end).toString('latin1');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  if (!Number.isInteger(status)) throw new Error(`not an HTTP status line: ${JSON.stringify(statusLine)}`);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') body = unchunk(body);
  // Anything past Content-Length would be a second response on the connection, not this body.
  else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
  return { status, headers, head, body: body.toString('utf8') };
}

function unchunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
