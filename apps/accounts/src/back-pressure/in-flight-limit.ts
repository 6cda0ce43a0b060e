import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { InFlightMetrics } from './in-flight.metrics';
import { overloadedProblem } from './overloaded.problem';
import { rawProblemAnswer } from '../problem-details/raw-problem-answer';

export interface InFlightLimitOptions {
  readonly maxInFlight: number;
  readonly retryAfterSeconds: number;
  /** The JSON body limit: a refused request declaring a body up to this size keeps its connection. */
  readonly bodyLimitBytes: number;
}

/**
 * The cheapest refusal there is, in front of Express on the HTTP server itself: no routing, no
 * middleware, no body read. Under three times its capacity the service spent its CPU on requests
 * it would refuse anyway, and the requests it accepted waited behind them: every query of an
 * accepted request waits its turn on the event loop behind a crowd of refusals. Capping the
 * requests in progress bounds the queue; the rest get 503 at once. Probes are exempt.
 *
 * The gate sits on this server's own `emit`, ahead of OpenTelemetry's HTTP instrumentation (which
 * wraps the prototype's): a refusal is neither a span nor a request-duration sample, which cost
 * more than the refusal itself and, under overload, were most of what the event loop did besides
 * writing. Refusals are counted by `metrics.shed` instead (the accounts service's
 * `http.server.requests.shed` counter), and slots held by `metrics.inFlight`. Installed after Nest
 * created the server, before it listens.
 */
export function limitRequestsInFlight(server: Server, options: InFlightLimitOptions, metrics: InFlightMetrics): void {
  const admit = inFlightGate(options, metrics);
  const emit = server.emit;
  server.emit = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request' && !admit(args[0] as IncomingMessage, args[1] as ServerResponse)) {
      metrics.shed();
      return true;
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as Server['emit'];
}

/** True when the request may go on; otherwise it has been answered 503. */
function inFlightGate({ maxInFlight, retryAfterSeconds, bodyLimitBytes }: InFlightLimitOptions, metrics: InFlightMetrics): (req: IncomingMessage, res: ServerResponse) => boolean {
  let inFlight = 0;
  const refuse = rawProblemAnswer(overloadedProblem(retryAfterSeconds));
  return (req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/health/')) return true;
    if (inFlight >= maxInFlight) {
      // The body is not read here. Node discards what is left of it once the answer is sent and
      // keeps the connection: closing it would make every refused client reconnect, and under
      // overload those handshakes cost more than the refusals. A body that is not small and
      // declared is not worth reading just to discard it: that connection closes.
      if (!hasSmallDeclaredBody(req, bodyLimitBytes)) res.setHeader('Connection', 'close');
      refuse(req, res);
      return false;
    }
    inFlight++;
    metrics.inFlight(1);
    holdUntilGone(req, res, () => {
      inFlight--;
      metrics.inFlight(-1);
    });
    return true;
  };
}

/** Releases of the slots held by a connection's requests, given back if the connection closes first. */
const HELD_SLOTS = Symbol('held in-flight slots');
type TrackedSocket = Socket & { [HELD_SLOTS]?: Set<() => void> };

/**
 * Calls `release` once, when the response closes or its connection does, whichever comes first.
 * The response's `close` alone is not enough: a response queued behind another on a pipelined
 * connection is never given the socket, so it never closes when the client hangs up, and a slot
 * taken for it would be lost for the life of the process. The connection's `close` covers that,
 * through one listener per connection however many requests it pipelines.
 */
function holdUntilGone(req: IncomingMessage, res: ServerResponse, release: () => void): void {
  const socket = req.socket as TrackedSocket;
  // A socket already closed (the client left while the request was being parsed) fires no more.
  if (socket.destroyed) {
    release();
    return;
  }
  let held = socket[HELD_SLOTS];
  if (!held) {
    const slots = new Set<() => void>();
    held = socket[HELD_SLOTS] = slots;
    socket.once('close', () => {
      for (const giveBack of slots) giveBack();
    });
  }
  const slots = held;
  const giveBack = () => {
    if (!slots.delete(giveBack)) return;
    release();
  };
  slots.add(giveBack);
  res.once('close', giveBack);
}

/** No body, or a Content-Length within the limit the service would parse anyway (no chunked upload). */
function hasSmallDeclaredBody(req: IncomingMessage, bodyLimitBytes: number): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return false;
  const length = Number(req.headers['content-length'] ?? 0);
  return Number.isFinite(length) && length <= bodyLimitBytes;
}
