import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface OpenLoopRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What became of one scheduled request; times are performance.now() milliseconds. */
export interface OpenLoopOutcome {
  readonly index: number;
  readonly scheduledAt: number;
  sentAt: number;
  respondedAt?: number;
  status?: number;
  /** The response headers named in `keepHeaders`, only: tens of thousands of whole header sets would make this process pause to collect them, and those pauses would read as latency. */
  headers?: Record<string, string>;
  /** `timeout` when no answer came within timeoutMs, otherwise the socket error's code. */
  error?: string;
}

export interface OpenLoopOptions {
  readonly baseUrl: string;
  /** Requests per second, spread evenly: request i leaves at start + i / rate. */
  readonly rate: number;
  readonly count: number;
  /** Keep-alive connections at most; requests beyond them queue in the agent, still timed from their schedule. */
  readonly maxSockets: number;
  readonly timeoutMs: number;
  readonly request: (index: number) => OpenLoopRequest;
  /** Response headers to keep per outcome (lower case). */
  readonly keepHeaders?: readonly string[];
  /** Called as request `index` is sent, e.g. to open a measurement window. */
  readonly onSend?: (index: number) => void;
  /**
   * Sent `maxSockets` times at once before the schedule starts, not counted: the connections are
   * open when the load begins, as a client fleet's keep-alive connections are when its traffic
   * rises. Without it the first second measures a connection storm.
   */
  readonly connect?: OpenLoopRequest;
}

/**
 * An open-loop load generator: request i leaves at its scheduled time whatever became of the
 * ones before it, so a slow service meets the load it was promised, and latency counts from the
 * schedule, so time a request spent waiting to be sent is not hidden (no coordinated omission).
 *
 * autocannon's `overallRate` is not that: it gives each connection a budget per second, refilled
 * every second, and the connections spend it at once, so the load arrives as a burst at each
 * second's start. Resolves when every request is answered, failed or timed out.
 */
export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopOutcome[]> {
  // As many idle connections kept as may be open: the default (256) closes the rest at every lull
  // and opens new ones at the next burst, and those handshakes read as latency.
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets, maxFreeSockets: options.maxSockets });
  const outcomes: OpenLoopOutcome[] = [];
  const intervalMs = 1000 / options.rate;
  let pending = 0;
  let allSent = false;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const settle = (outcome: OpenLoopOutcome, update: Partial<OpenLoopOutcome>) => {
    if (outcome.respondedAt !== undefined || outcome.error !== undefined) return;
    Object.assign(outcome, update);
    pending--;
    if (allSent && pending === 0) finish();
  };

  const send = (index: number, scheduledAt: number) => {
    const { method, path, headers, body } = options.request(index);
    const outcome: OpenLoopOutcome = { index, scheduledAt, sentAt: performance.now() };
    outcomes.push(outcome);
    pending++;
    options.onSend?.(index);
    const req = request(
      new URL(path, options.baseUrl),
      { method, agent, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        res.resume();
        res.on('end', () => settle(outcome, { respondedAt: performance.now(), status: res.statusCode, headers: pick(res.headers, options.keepHeaders) }));
        res.on('error', (error: NodeJS.ErrnoException) => settle(outcome, { error: error.code ?? 'ERESPONSE' }));
      },
    );
    const timer = setTimeout(() => {
      settle(outcome, { error: 'timeout' });
      req.destroy();
    }, options.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (error: NodeJS.ErrnoException) => settle(outcome, { error: error.code ?? 'EREQUEST' }));
    req.end(body);
  };

  if (options.connect) {
    const { method, path, headers } = options.connect;
    await Promise.all(
      Array.from({ length: options.maxSockets }, () =>
        new Promise<void>((resolve, reject) => {
          const req = request(new URL(path, options.baseUrl), { method, agent, headers }, (res) => {
            res.resume();
            res.on('end', () => resolve());
          });
          req.on('error', reject);
          req.end();
        }),
      ),
    );
    // Let the service finish with them before the clock starts.
    await new Promise((resolve) => setTimeout(resolve, CONNECT_SETTLE_MS));
  }

  const start = performance.now() + 5;
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < options.count && start + next * intervalMs <= now) {
        send(next, start + next * intervalMs);
        next++;
      }
      if (next >= options.count) return resolve();
      // At most a millisecond late: timers are the only clock an event loop has.
      setTimeout(tick, Math.max(0, Math.min(1, start + next * intervalMs - performance.now())));
    };
    tick();
  });
  allSent = true;
  if (pending > 0) await finished;
  agent.destroy();
  return outcomes;
}

/** After the connections are opened, before the first scheduled request. */
const CONNECT_SETTLE_MS = 1_000;

function pick(headers: Record<string, string | string[] | undefined>, names: readonly string[] | undefined): Record<string, string> | undefined {
  if (!names?.length) return undefined;
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
